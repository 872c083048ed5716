"""Czech queries and the record each must find (declension of place names, institutions and
common nouns; with and without diacritics; singular and plural), over a small set of records.
Shared by test_czech_recall.py and bench/search_quality.py."""

from __future__ import annotations

# name -> (title, description, keywords)
RECORDS: dict[str, tuple[str, str, list[str]]] = {
    "navstevnost-muzei": (
        "Návštěvnost muzeí Libereckého kraje",
        "Počty návštěvníků v muzeích a galeriích kraje po měsících.",
        ["kultura"],
    ),
    "sbirka-skla": (
        "Sbírka skla Severočeského muzea v Liberci",
        "Předměty ze skla: poháry, vázy a sklářské nástroje.",
        ["sbírky"],
    ),
    "skoly-jablonec": (
        "Školy v Jablonci nad Nisou",
        "Seznam základních a středních škol v Jablonci a okolí.",
        ["vzdělávání"],
    ),
    "ovzdusi-liberec": (
        "Kvalita ovzduší v Liberci",
        "Měření prachu a oxidů dusíku na stanicích v Liberci.",
        ["životní prostředí"],
    ),
    "knihovny": (
        "Knihovny v obcích kraje",
        "Veřejné knihovny ve všech obcích Libereckého kraje.",
        ["kultura"],
    ),
    "nemocnice": (
        "Nemocnice a zdravotnická zařízení",
        "Lůžka a ambulance krajských nemocnic.",
        ["zdravotnictví"],
    ),
    "jizdni-rady": (
        "Jízdní řády veřejné dopravy",
        "Autobusové a vlakové spoje IDOL, zastávky a linky.",
        ["doprava"],
    ),
    "spotreba-energie": (
        "Spotřeba energie v budovách kraje",
        "Odečty elektřiny, tepla a vody ve školách a úřadech.",
        ["energetika"],
    ),
    "cyklotrasy": (
        "Cyklostezky a turistické trasy",
        "Cyklotrasy v Jizerských horách a Českém ráji.",
        ["cestovní ruch"],
    ),
    "rozpocet": (
        "Rozpočet Libereckého kraje",
        "Příjmy a výdaje kraje podle kapitol a let.",
        ["finance"],
    ),
    "socialni-sluzby": (
        "Sociální služby pro seniory",
        "Domovy pro seniory a pečovatelská služba v Turnově a Semilech.",
        ["sociální věci"],
    ),
    "volby": (
        "Výsledky voleb do zastupitelstva",
        "Volební výsledky podle obcí a okrsků.",
        ["volby"],
    ),
    "stredni-skoly": (
        "Gymnázia a střední odborné školy",
        "Obory, kapacity a přijímací řízení středních škol.",
        ["vzdělávání"],
    ),
    "pamatky": (
        "Hrady a zámky",
        "Kulturní památky: hrady, zámky a kostely v kraji.",
        ["památky"],
    ),
    "sklarny": (
        "Sklárny v Železném Brodě",
        "Historie sklářské výroby a dnešní sklárny.",
        ["průmysl"],
    ),
    "nehody": (
        "Dopravní nehody na silnicích",
        "Nehody podle silnic, obcí a příčin.",
        ["doprava"],
    ),
}

# query -> the record it must find among the first ten results
QUERIES: list[tuple[str, str]] = [
    ("muzeum", "navstevnost-muzei"),
    ("muzea", "navstevnost-muzei"),
    ("muzeích", "navstevnost-muzei"),
    ("navstevnost muzei", "navstevnost-muzei"),
    ("skla", "sbirka-skla"),
    ("sklo", "sbirka-skla"),
    ("pohár", "sbirka-skla"),
    ("váza", "sbirka-skla"),
    ("Liberec", "ovzdusi-liberec"),
    ("Liberci", "ovzdusi-liberec"),
    ("Libercem", "ovzdusi-liberec"),
    ("ovzdusi Liberec", "ovzdusi-liberec"),
    ("Jablonec", "skoly-jablonec"),
    ("Jablonci", "skoly-jablonec"),
    ("škola", "skoly-jablonec"),
    ("skola Jablonec", "skoly-jablonec"),
    ("školách", "spotreba-energie"),
    ("skolach", "spotreba-energie"),
    ("skolach", "stredni-skoly"),
    ("knihovnach", "knihovny"),
    ("sklarnach", "sklarny"),
    ("strednich skolach", "stredni-skoly"),
    ("knihovna", "knihovny"),
    ("knihovnách", "knihovny"),
    ("obec", "knihovny"),
    ("obcích", "knihovny"),
    ("nemocnice", "nemocnice"),
    ("nemocnicích", "nemocnice"),
    ("autobusy", "jizdni-rady"),
    ("zastávka", "jizdni-rady"),
    ("energií", "spotreba-energie"),
    ("budova", "spotreba-energie"),
    ("cyklostezka", "cyklotrasy"),
    ("Jizerské hory", "cyklotrasy"),
    ("výdajů", "rozpocet"),
    ("seniorům", "socialni-sluzby"),
    ("Turnov", "socialni-sluzby"),
    ("Semily", "socialni-sluzby"),
    ("výsledek voleb", "volby"),
    ("gymnázium", "stredni-skoly"),
    ("gymnazium", "stredni-skoly"),
    ("zámek", "pamatky"),
    ("hradu", "pamatky"),
    ("sklárna", "sklarny"),
    ("Železný Brod", "sklarny"),
    ("nehoda", "nehody"),
    ("silnice", "nehody"),
]
