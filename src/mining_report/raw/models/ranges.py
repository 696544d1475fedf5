"""The plausibility ranges and tolerances the raw models hold the snapshots to, each
with the reason for its bounds: network hashrate, BTC price, difficulty and revenue,
ASIC specifications and prices, machine counts, and how closely CCAF's shares and
EH/s must agree with each other and with Coin Metrics."""

#: CCAF rounds shares to two decimals, so a month sums to 100 within a few hundredths.
SHARE_SUM_TOLERANCE = 0.05

# Plausibility ranges. Each is set so that the real data passes with a wide margin
# and a slip of one order of magnitude (a digit too many or too few) does not. The
# daily Coin Metrics series can be refreshed to later years (`make refresh`), when
# the network and the price grow: there its ranges leave room for growth, and a
# slip is caught against the neighbouring days instead (MAX_DAY_TO_WEEK_RATIO).
#: Network hashrate, EH/s: Coin Metrics' daily series runs 57-267 EH/s in 2020-22; the
#: bound leaves room for the network to grow many times over.
NETWORK_EHS = {"ge": 20, "le": 5_000}
#: A country's monthly EH/s in CCAF: at most the whole network (CCAF's monthly totals
#: are 90-188 EH/s); China's peak is 91 EH/s.
COUNTRY_EHS = {"ge": 0, "le": 500}
#: BTC in USD: 4,959-67,542 in 2020-22; never below 1,000 since 2017; room above
#: for later years.
BTC_USD = {"ge": 1_000, "le": 2_000_000}
#: Mean daily difficulty: 1.3e13-3.1e13 in 2020-22; room above for later years.
DIFFICULTY = {"ge": 5e12, "le": 1e16}
#: Miners' revenue per day, USD: 7.0e6-7.8e7 in 2020-22.
MINER_REVENUE_USD = {"ge": 1e6, "le": 3e9}
#: A day's hash rate, price or issuance against the median of the week around it
#: (7 days, centred): the real 2020-22 series stays within 0.65-1.28 (the 58-block
#: day of 27 June 2021 is the lowest); a digit too many or too few is a factor of 10.
MAX_DAY_TO_WEEK_RATIO = 3.0
#: Blocks a day: 144 expected; 58-197 observed during the 2021 hashrate crash.
BLOCKS_PER_DAY = {"ge": 20, "le": 400}
#: Transaction fees a day, BTC: 5-303 observed.
FEES_BTC = {"ge": 0, "le": 2_000}
#: Newly issued BTC a day, in USD: 6.2e6-7.2e7 observed.
ISSUANCE_USD = {"ge": 1e6, "le": 3e9}
#: One ASIC's hashrate, TH/s: 4-156 for the models and listings of 2016-22.
ASIC_THS = {"ge": 1, "le": 1_000}
#: One ASIC's power draw, W: 1,027-6,300 for the listed models.
ASIC_WATTS = {"ge": 100, "le": 20_000}
#: Dealer asking price of one machine, USD: 250-17,155 in the listings.
ASIC_USD = {"ge": 50, "le": 50_000}
#: Asking price per TH/s, USD: 4.72-126.18 in the listings and index quotes.
ASIC_USD_PER_TH = {"ge": 1, "le": 500}
#: A count of machines in one press figure: the largest reported is 2 million (all of
#: China's exports); the whole network in 2021 (under 200 EH/s) was at most some 5
#: million machines, so a larger count is a slip.
MACHINE_COUNT_MAX = 5_000_000

#: CCAF's EH/s against Coin Metrics' network hashrate, month by month: the monthly
#: sums of CCAF's country EH/s match Coin Metrics' monthly mean within 0.02 %; a
#: disagreement over 1 % means one of the two snapshots is not what its sidecar says.
NETWORK_HASHRATE_TOLERANCE = 0.01
#: A country's share times the month's total EH/s against its EH/s: both are rounded
#: to two decimals, which puts them at most 0.015 EH/s apart in the real data.
SHARE_EHS_TOLERANCE = 0.05
