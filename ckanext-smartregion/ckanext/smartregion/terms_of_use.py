"""The four-part terms of use (podmínky užití) of DCAT-AP-CZ for a distribution free of
rights and personal data: the values the portal uses for its own outputs (demo tables,
reports)."""

OPEN_TERMS = {
    "terms_author_work": "https://data.gov.cz/podmínky-užití/neobsahuje-autorská-díla/",
    "terms_database_work": "https://data.gov.cz/podmínky-užití/není-autorskoprávně-chráněnou-databází/",
    "terms_database_sui_generis": "https://data.gov.cz/podmínky-užití/není-chráněna-zvláštním-právem-pořizovatele-databáze/",
    "terms_personal_data": "https://data.gov.cz/podmínky-užití/neobsahuje-osobní-údaje/",
}
