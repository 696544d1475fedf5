"""Controlled vocabularies and windows shared by the schemas and the derivations."""

from __future__ import annotations

import pandas as pd

#: The study window: the first CCAF month to the last dated price observation.
STUDY_START = pd.Timestamp("2019-09-01")
STUDY_END = pd.Timestamp("2022-12-31")

#: The Coin Metrics daily series covers at least these days, with no gap. A refreshed
#: snapshot may run on past DAILY_END (`make refresh`), still without a gap.
DAILY_START = pd.Timestamp("2020-01-01")
DAILY_END = pd.Timestamp("2022-06-30")

#: The upper bound of every series that a refresh may extend: a later date is a slip
#: (2202 for 2022), not data. Fixed rather than "today", so that the data dictionary,
#: which prints the bounds, stays byte-identical from one day to the next; a snapshot's
#: dates are also held to its sidecar's `accessed` date. Move it when the data nears it.
LATEST_POSSIBLE = pd.Timestamp("2035-12-31")

#: The months each CCAF table declares (its sidecar's "series runs ..."): every month in
#: between must be there, for every country or province, unless it is a named gap below;
#: a refreshed download may add later months, each of them complete too.
CCAF_COUNTRY_MONTHS = (pd.Timestamp("2019-09-01"), pd.Timestamp("2022-01-01"))
CCAF_PROVINCE_MONTHS = (pd.Timestamp("2019-09-01"), pd.Timestamp("2021-07-01"))

#: The last month of the Mining Map's data when CCAF launched it in May 2020 (launch
#: coverage: published_figures.csv, P01); the press still quoted it in 2021.
CCAF_LAUNCH_LAST_MONTH = pd.Timestamp("2020-04-01")

#: The dates the press tables may carry: the crackdown year and its aftermath.
PRESS_START = pd.Timestamp("2021-01-01")

#: CCAF's country labels (asterisks and official names as published) → the names we report.
CCAF_COUNTRIES: dict[str, str] = {
    "Mainland China": "China",
    "United States": "United States",
    "Kazakhstan": "Kazakhstan",
    "Russian Federation": "Russia",
    "Canada": "Canada",
    "Malaysia": "Malaysia",
    "Iran, Islamic Rep.": "Iran",
    "Germany *": "Germany",
    "Ireland *": "Ireland",
    "Other": "Other",
}

#: Normalized country names, in the order tables list them.
COUNTRIES: tuple[str, ...] = tuple(CCAF_COUNTRIES.values())

#: The provinces CCAF reports separately; the rest of China is its "Other".
CCAF_PROVINCES: tuple[str, ...] = (
    "Sichuan",
    "Xinjiang",
    "Yunnan",
    "Inner Mongolia",
    "Gansu",
    "Beijing",
    "Shanxi",
    "Qinghai",
    "Other",
)

#: Province-months whose shares do not sum to 100, as published. Anything else is an error.
PROVINCE_MONTH_EXCEPTIONS: dict[str, str] = {
    "2020-06-01": "CCAF's download has no Inner Mongolia row; the other eight sum to 92.86",
    "2021-07-01": "every province is 0: CCAF attributed no hashrate to China that month",
}

#: Province-months missing from the province table, as published, by province.
PROVINCE_MISSING_MONTHS: dict[tuple[str, str], str] = {
    ("2020-06-01", "Inner Mongolia"): PROVINCE_MONTH_EXCEPTIONS["2020-06-01"],
}

#: China's 31 provincial-level divisions (mainland), as English names.
CHINESE_PROVINCES: tuple[str, ...] = (
    "Anhui", "Beijing", "Chongqing", "Fujian", "Gansu", "Guangdong", "Guangxi", "Guizhou",
    "Hainan", "Hebei", "Heilongjiang", "Henan", "Hubei", "Hunan", "Inner Mongolia", "Jiangsu",
    "Jiangxi", "Jilin", "Liaoning", "Ningxia", "Qinghai", "Shaanxi", "Shandong", "Shanghai",
    "Shanxi", "Sichuan", "Tianjin", "Tibet", "Xinjiang", "Yunnan", "Zhejiang",
)  # fmt: skip

#: An event's jurisdiction: a province, or the whole country.
JURISDICTIONS: tuple[str, ...] = ("national", *CHINESE_PROVINCES)

#: What a crackdown measure does, from the weakest to the most direct.
MEASURES: tuple[str, ...] = (
    "policy_statement",
    "investigation",
    "trading_ban",
    "rectification",
    "power_cutoff",
    "shutdown_order",
    "ban",
)

#: Measures as readers see them: the label for each code in MEASURES.
MEASURE_LABELS: dict[str, str] = {
    "policy_statement": "policy statement",
    "investigation": "investigation",
    "trading_ban": "trading and payments ban",
    "rectification": "rectification campaign",
    "power_cutoff": "power cut-off",
    "shutdown_order": "shutdown order",
    "ban": "ban",
}

#: Whom a measure reaches, widest first: the country, a whole province, one prefecture,
#: city or county, one industrial park or company, or one person. Only a national or
#: province-wide order certainly covers a province's hashrate.
SCOPES: dict[str, str] = {
    "national": "all of China",
    "province": "a whole province",
    "prefecture or city": "one prefecture, city or county",
    "park or company": "one industrial park or company",
    "person": "one person",
}

#: The figures of machine_flows.csv the text and the charts quote by name: the FT's
#: headline count of machines moved, and its total of machines tracked to a destination.
FT_HEADLINE_FIGURE = "M01"
FT_TRACKED_FIGURE = "M03"

#: Ranks as words, for the few the text and the charts quote.
ORDINALS: dict[int, str] = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}

#: Whether a measure was a draft put out for comment or a final decision.
STAGES: tuple[str, ...] = ("draft", "final")

#: How well a date or a figure is attested (see each press table's sidecar).
CONFIDENCE_LEVELS: tuple[str, ...] = ("confirmed", "single source", "uncertain")

#: What a quoted statement (source_statements.csv) is about.
STATEMENT_TOPICS: tuple[str, ...] = ("how CCAF locates hashrate", "energy", "pushback")
#: The earliest page the press tables may cite: the Mining Map's launch coverage (2020).
STATEMENTS_START = pd.Timestamp("2020-01-01")
PAGE_YEAR_START = STATEMENTS_START.year
#: The longest quote a statement keeps: a sentence, as a citation may carry.
QUOTE_MAX = 300

#: Where a reported machine count puts the machines (machine_flow_entities.csv, flow).
#: Read from each figure's metric wording; the definitions are the vocabulary's contract.
MACHINE_FLOWS: dict[str, str] = {
    "left China": (
        "moved, shipped, sent, relocated or evacuated out of China, in aggregate, by "
        "destination country or by company: the exporters' side, as in the FT tallies"
    ),
    "arrived abroad": (
        "at a site outside China: received, acquired, hosted, delivered, deployed, "
        "operating, or waiting at a foreign port: the receivers' side"
    ),
    "in China": (
        "located in China at a date: fleets before their move, idle or stranded stock, "
        "machines abandoned there"
    ),
    "seized at export": "seized or held by Chinese customs on their way out of the country",
    "other": (
        "not a movement of existing machines out of China: new-machine orders, purchases "
        "and sales, site capacities, planned or requested moves, and a count whose "
        "meaning is disputed"
    ),
}

#: Countries a machine count may name as its destination: the normalized CCAF names
#: plus the destinations the press names that CCAF folds into "Other".
DESTINATION_COUNTRIES: tuple[str, ...] = (*COUNTRIES, "Paraguay", "Venezuela", "Australia")

#: Which claim of a recorded conflict the report uses.
CLAIM_CHOICES: tuple[str, ...] = ("a", "b", "neither")

#: Cleaned tables a conflict may cite, with the raw snapshots their figures come from
#: (whose sidecars name the source). A province's share of global hashrate needs both
#: CCAF tables.
CITABLE_TABLES: dict[str, tuple[str, ...]] = {
    "hashrate_by_country": ("cbeci_countries",),
    "hashrate_by_province": ("cbeci_provinces", "cbeci_countries"),
}

#: The three moments of the hashrate migration, in order.
MIGRATION_PERIODS = ("before", "exodus", "latest")

#: The months whose provincial shares weight the exposure bounds: the baseline
#: month (dry season), and the month Sichuan's share peaked in the year before it.
EXPOSURE_WEIGHTS = ("baseline", "wet season")

#: The four weekly price series → the stem of their index and drawdown columns.
TREND_SERIES: dict[str, str] = {
    "btc_close_usd": "btc_close",
    "hashrate_ehs_7d": "hashrate",
    "difficulty": "difficulty",
    "hashprice_usd_per_th_day": "hashprice",
}

#: The unit of each weekly series (difficulty is a pure number).
TREND_UNITS: dict[str, str] = {
    "btc_close_usd": "USD",
    "hashrate_ehs_7d": "EH/s",
    "difficulty": "dimensionless",
    "hashprice_usd_per_th_day": "USD per TH/s per day",
}

#: Hashrate Index efficiency bands, most efficient first.
EFFICIENCY_BANDS: tuple[str, ...] = ("under 38 J/TH", "38-68 J/TH", "over 68 J/TH")
UNCLASSIFIED = "unclassified"
#: Every class of the monthly ASIC price table: the three bands and listings no model matched.
EFFICIENCY_CLASSES: tuple[str, ...] = (*EFFICIENCY_BANDS, UNCLASSIFIED)

#: The unit of a conflict's claim that is the project's class of what a source reported
#: (a kind of measure), not the source's own words: a reader sees it unquoted.
PROJECT_CLASS = "the project's class of the measure reported"
