"""The action plan's annual report (výroční zpráva) and mid-year monitoring report
(monitorovací zpráva)."""
