# Stage 2 (prices): weekly price trends, their recovery, difficulty adjustments and
# ASIC prices by efficiency class, each validated by its output schema on write.


# Daily price, hashrate, mean difficulty and miner revenue, computed from the Coin
# Metrics fields snapshot (so a refresh of the fields refreshes it).
rule btc_daily:
    input:
        code=[
            f"{PKG}/{m}.py"
            for m in (
                "network",
                "schemas/__init__",
                "schemas/base",
                "schemas/raw",
                "schemas/cleaned",
                "vocabularies",
                "io",
                "step",
            )
        ],
        # Validated first; the computation reads the published strings themselves.
        validated=interim("btc_daily_source_fields"),
        fields=RAW_TABLES.get("btc_daily_source_fields", ""),
    output:
        parquet=BTC_DAILY,
    log:
        "logs/derive/btc_daily.log",
    conda:
        "../envs/pipeline.yaml"
    message:
        "Computing btc_daily from the Coin Metrics fields"
    script:
        "../scripts/btc_daily.py"


# Weekly BTC close, 7-day hashrate and difficulty, hashprice; indices and drawdowns.
rule price_trends:
    input:
        code=CODE["derive"],
        checked=CROSS_CHECK,
        btc_daily=BTC_DAILY,
    output:
        parquet="data/processed/price_trends.parquet",
        csv=report(
            "data/processed/price_trends.csv",
            caption="../report/table.rst",
            category="Cleaned tables",
        ),
    log:
        "logs/derive/price_trends.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        table="price_trends",
        options={"base_week": config["analysis"]["base_week"]},
    message:
        "Deriving price_trends"
    script:
        "../scripts/derive.py"


# Per weekly series: base value, pre-ban peak, trough and weeks back to base.
rule price_recovery:
    input:
        code=CODE["derive"],
        checked=CROSS_CHECK,
        btc_daily=BTC_DAILY,
    output:
        parquet="data/processed/price_recovery.parquet",
        csv=report(
            "data/processed/price_recovery.csv",
            caption="../report/table.rst",
            category="Cleaned tables",
        ),
    log:
        "logs/derive/price_recovery.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        table="price_recovery",
        options={"base_week": config["analysis"]["base_week"]},
    message:
        "Deriving price_recovery"
    script:
        "../scripts/derive.py"


# Difficulty adjustments found in the daily mean difficulty.
rule difficulty_adjustments:
    input:
        code=CODE["derive"],
        checked=CROSS_CHECK,
        btc_daily=BTC_DAILY,
    output:
        parquet="data/processed/difficulty_adjustments.parquet",
        csv=report(
            "data/processed/difficulty_adjustments.csv",
            caption="../report/table.rst",
            category="Cleaned tables",
        ),
    log:
        "logs/derive/difficulty_adjustments.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        table="difficulty_adjustments",
    message:
        "Deriving difficulty_adjustments"
    script:
        "../scripts/derive.py"


# Monthly median dealer asking price per TH/s by efficiency class, every month x class.
rule asic_prices:
    input:
        code=CODE["derive"],
        asic_prices=interim("asic_prices"),
        asic_models=interim("asic_models"),
    output:
        parquet="data/processed/asic_prices.parquet",
        csv=report(
            "data/processed/asic_prices.csv",
            caption="../report/table.rst",
            category="Cleaned tables",
        ),
    log:
        "logs/derive/asic_prices.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        table="asic_prices",
    message:
        "Deriving asic_prices"
    script:
        "../scripts/derive.py"


# The Hashrate Index ASIC Price Index values quoted in press, by efficiency class.
rule asic_price_index_quotes:
    input:
        code=CODE["derive"],
        asic_prices=interim("asic_prices"),
    output:
        parquet="data/processed/asic_price_index_quotes.parquet",
        csv=report(
            "data/processed/asic_price_index_quotes.csv",
            caption="../report/table.rst",
            category="Cleaned tables",
        ),
    log:
        "logs/derive/asic_price_index_quotes.log",
    conda:
        "../envs/pipeline.yaml"
    params:
        table="asic_price_index_quotes",
    message:
        "Deriving asic_price_index_quotes"
    script:
        "../scripts/derive.py"
