"""Company- and date-specific statements planted in the sample corpus (our wording, reference figures).

Keys are (ticker, call date). Values are (speaker, sentence) with speaker "ceo", "cfo" or "analyst".
"""

CALL_FACTS: dict[tuple[str, str], list[tuple[str, str]]] = {
    # Microsoft (fiscal year ends June): capex including finance leases per quarter.
    ("MSFT", "2024-07-30"): [("cfo", "Capital expenditures including finance leases were $19.0 billion this quarter, in line with our plan.")],
    ("MSFT", "2024-10-30"): [("cfo", "Capital expenditures including finance leases were $20.0 billion this quarter as we added data center capacity.")],
    ("MSFT", "2025-01-29"): [("cfo", "Capital expenditures including finance leases were $22.6 billion this quarter.")],
    ("MSFT", "2025-04-30"): [("cfo", "Capital expenditures including finance leases were $21.4 billion this quarter.")],
    ("MSFT", "2025-07-30"): [
        ("cfo", "Capital expenditures including finance leases were $24.2 billion this quarter."),
        ("cfo", "For the first quarter of fiscal 2026, we expect capital expenditures to be more than $30 billion."),
    ],
    ("MSFT", "2025-10-29"): [("cfo", "Capital expenditures including finance leases were $34.9 billion this quarter, driven by short-lived assets such as GPUs.")],
    ("MSFT", "2026-01-28"): [
        ("cfo", "Capital expenditures including finance leases were $37.5 billion this quarter."),
        ("ceo", "We added nearly one gigawatt of total capacity this quarter and we remain capacity constrained for AI services."),
        ("ceo", "Our fleet now mixes NVIDIA and AMD GPUs with our own Maia chips, and software lets us move workloads between them."),
    ],
    # Meta (calendar year): capex including principal payments on finance leases.
    ("META", "2024-07-31"): [("cfo", "Capital expenditures, including principal payments on finance leases, were $8.5 billion this quarter.")],
    ("META", "2024-10-30"): [("cfo", "Capital expenditures, including principal payments on finance leases, were $9.2 billion this quarter.")],
    ("META", "2025-01-29"): [("cfo", "Capital expenditures, including principal payments on finance leases, were $14.8 billion this quarter.")],
    ("META", "2025-04-30"): [("cfo", "Capital expenditures, including principal payments on finance leases, were $13.7 billion this quarter.")],
    ("META", "2025-07-30"): [("cfo", "Capital expenditures, including principal payments on finance leases, were $17.0 billion this quarter.")],
    ("META", "2025-10-29"): [("cfo", "Capital expenditures, including principal payments on finance leases, were $19.4 billion this quarter.")],
    ("META", "2026-01-28"): [
        ("cfo", "Capital expenditures, including principal payments on finance leases, were $22.1 billion this quarter."),
        ("cfo", "We expect full year 2026 capital expenditures to be in the range of $115 billion to $135 billion."),
        ("ceo", "We doubled the number of GPUs used to train our ads ranking model in the fourth quarter."),
    ],
    # Alphabet
    ("GOOGL", "2024-10-29"): [("cfo", "Capital expenditures were $13.0 billion this quarter, mostly technical infrastructure.")],
    ("GOOGL", "2025-02-04"): [("cfo", "We expect capital expenditures of about $75 billion in 2025.")],
    ("GOOGL", "2025-04-24"): [("cfo", "Capital expenditures were $17.2 billion this quarter.")],
    ("GOOGL", "2025-07-23"): [
        ("cfo", "Capital expenditures were $22.4 billion this quarter."),
        ("cfo", "We now expect capital expenditures of approximately $85 billion in 2025."),
        ("cfo", "That is an increase from the number we gave in February, reflecting strong cloud demand."),
    ],
    # Amazon
    ("AMZN", "2024-08-01"): [("cfo", "In the first half of the year, cash capital expenditures were $30.5 billion.")],
    ("AMZN", "2025-02-06"): [("cfo", "Cash capital expenditures were $26.3 billion this quarter, a pace we consider reasonable going forward.")],
    ("AMZN", "2025-05-01"): [("cfo", "Cash capital expenditures were $24.3 billion this quarter.")],
    ("AMZN", "2025-07-31"): [("cfo", "Cash capital expenditures were $31.4 billion this quarter.")],
    ("AMZN", "2025-10-30"): [
        ("cfo", "Cash capital expenditures were $34.2 billion this quarter."),
        ("cfo", "We expect cash capital expenditures of about $125 billion in 2025, and we expect that amount to increase in 2026."),
        ("ceo", "Project Rainier is now online with nearly half a million Trainium2 chips."),
    ],
    ("AMZN", "2026-02-05"): [
        ("cfo", "We expect capital expenditures of about $200 billion in 2026, predominantly for AWS."),
        ("ceo", "Our chips business, Graviton and Trainium together, now has an annual revenue run rate above $10 billion."),
    ],
    # Oracle (fiscal year ends May)
    ("ORCL", "2024-12-09"): [("cfo", "Capital expenditures were $4.0 billion this quarter.")],
    ("ORCL", "2025-03-10"): [("cfo", "Capital expenditures were $5.9 billion this quarter.")],
    ("ORCL", "2025-09-09"): [("cfo", "We expect fiscal 2026 capital expenditures of about $35 billion.")],
    # NVIDIA
    ("NVDA", "2024-08-28"): [("ceo", "Blackwell demand is well above supply, and we expect that to continue into next year.")],
    ("NVDA", "2025-05-28"): [
        ("cfo", "The H20 export ban cost us about $8 billion of second-quarter revenue."),
        ("ceo", "The China market for AI accelerators is close to $50 billion, and export controls keep us out of most of it."),
        ("ceo", "B300 carries fifty percent more HBM than B200."),
    ],
    ("AVGO", "2026-03-04"): [
        ("ceo", "AI semiconductor revenue was $8.4 billion this quarter, up 106 percent, driven by custom accelerators."),
        ("ceo", "Tomahawk 6 switches at 100 terabits per second began shipping, and our 1.6T optics program is on track."),
    ],
    ("MU", "2024-12-18"): [
        ("ceo", "We expect the HBM market to grow from about $16 billion in 2024 to more than $100 billion by 2030."),
        ("ceo", "Our HBM3E 8-high is designed into Blackwell, and we are shipping to a second large HBM customer."),
    ],
    ("TSM", "2026-01-15"): [("cfo", "3nm technology contributed 28 percent of wafer revenue in the fourth quarter, and 7nm and below reached 77 percent.")],
    ("TENCENT", "2024-11-13"): [("cfo", "Total capex for the quarter was RMB 17.1 billion, driven by purchases of GPU servers.")],
    ("TENCENT", "2025-03-19"): [
        ("ceo", "We prioritized GPUs for our own ad tech and model training, which rationed what we could offer external cloud customers."),
        ("cfo", "That allocation constrained cloud revenue growth during the quarter."),
    ],
    ("TENCENT", "2025-08-13"): [("cfo", "Total capex for the quarter was RMB 19.1 billion, of which operating capex was RMB 17.9 billion.")],
    ("TENCENT", "2025-11-13"): [("cfo", "Total capex for the quarter was RMB 13.0 billion, as GPU deliveries slipped into later periods.")],
    ("BABA", "2025-02-20"): [("ceo", "We plan capital expenditures of more than RMB 380 billion on cloud and AI infrastructure over the next three years.")],
    ("BABA", "2025-08-29"): [("cfo", "Capex on AI and cloud infrastructure was RMB 38.6 billion this quarter.")],
    ("BABA", "2026-03-19"): [
        ("ceo", "AI-related product revenue grew at triple digits for the tenth quarter in a row."),
        ("ceo", "T-Head chips are in scaled mass production, with about 470,000 units shipped."),
    ],
    ("BIDU", "2025-11-18"): [("ceo", "AI Cloud revenue reached RMB 6.2 billion, up 21 percent from a year ago.")],
    ("BIDU", "2026-02-26"): [("ceo", "Our AI-powered business exceeded RMB 11 billion and is now 43 percent of core revenue, and we are preparing the Kunlunxin spin-off.")],
    ("SMIC", "2026-02-10"): [
        ("cfo", "Capital expenditures for 2025 were $8.1 billion."),
        ("ceo", "Utilization of our 8-inch lines stayed above 100 percent, and 12-inch capacity was nearly fully booked."),
    ],
    ("HUAHONG", "2026-02-12"): [("ceo", "Average utilization for the full year was 106 percent, and demand continues to exceed supply.")],
    ("AMAT", "2024-08-28"): [("cfo", "We have about $400 million of backlog we cannot ship to entity-listed customers.")],
    ("ASML", "2024-10-16"): [("cfo", "Our 2026 range accommodates different outcomes of the export control discussions.")],
    ("VRT", "2024-09-12"): [("ceo", "The Blackwell generation will be liquid cooled, and our thermal portfolio is ready for it.")],
    ("VRT", "2025-10-22"): [("ceo", "Orders rose 60 percent with a book-to-bill of 1.4, and demand continues to exceed supply in thermal management.")],
    ("LITE", "2025-05-06"): [("ceo", "Our indium phosphide capacity is fully subscribed through at least the end of 2025.")],
    ("SMCI", "2025-02-11"): [("ceo", "We expect about 30 percent of new data centers to adopt liquid cooling within the next twelve months.")],
    # Chinese cloud: analysts sometimes raise HBM, management never does (the 0% vs 4% split).
    ("KC", "2025-03-19"): [
        ("cfo", "Depreciation and amortisation of GPU servers was RMB 343 million in the quarter."),
        ("analyst", "Do tighter HBM supplies for Chinese buyers change your server procurement plan?"),
    ],
}

# MD&A facts: (ticker, period) -> sentences.
MDNA_FACTS: dict[tuple[str, str], list[str]] = {
    ("CAMBRICON", "H1 2025"): ["报告期内，公司实现营业收入28.81亿元，同比增长4347.82%，首次实现半年度盈利。", "公司已被列入实体清单，部分境外供应链存在不确定性。"],
    ("EOPTOLINK", "H1 2025"): ["受800G及1.6T光模块需求拉动，公司营业收入104.37亿元，同比增长282.64%。"],
    ("INNOLIGHT", "H1 2025"): ["数据中心客户对800G光模块的需求快速增长，并加快向1.6T产品迁移，毛利率为42.61%。"],
    ("INSPUR", "H1 2025"): ["公司全面布局液冷，All in液冷战略持续推进，服务器销售同比增长99.5%。"],
    ("SUGON", "H1 2025"): ["公司筹划与海光信息换股吸收合并，打造从芯片设计到算力服务的完整产业链，推动国产芯片生态建设。"],
    ("NAURA", "H1 2025"): ["刻蚀设备与薄膜沉积设备收入分别超过50亿元和40亿元，国产替代持续推进。"],
    ("AMEC", "FY2024"): ["刻蚀设备收入同比增长，先进制程用设备持续获得客户重复订单，资本开支为14.6亿元。"],
}

# Layer profiles: probability that a call mentions a topic (management; analysts add a little on top).
# Derived from the reference matrix; missing layers use DEFAULT_PROFILE.
LAYER_PROFILE = {
    "US Cloud": {"GPU": .69, "HBM": 0, "CUSTOM_SILICON": .8, "LIQUID_COOLING": .08, "OPTICAL_800G": 0, "ADVANCED_NODE": .06, "CAPACITY_TIGHT": .67, "SANCTIONS": 0, "CAPEX": 1, "AI_REVENUE": .5},
    "China Cloud": {"GPU": .68, "HBM": 0, "CUSTOM_SILICON": .8, "LIQUID_COOLING": 0, "OPTICAL_800G": .04, "ADVANCED_NODE": .18, "CAPACITY_TIGHT": .5, "SANCTIONS": 0, "CAPEX": 1, "DOMESTIC_CHIP": .3, "AI_REVENUE": .5},
    "GPU Design": {"GPU": 1, "HBM": .53, "CUSTOM_SILICON": .5, "LIQUID_COOLING": .68, "OPTICAL_800G": .32, "ADVANCED_NODE": .2, "CAPACITY_TIGHT": .26, "SANCTIONS": .21, "AI_REVENUE": .6},
    "ASIC/Network": {"GPU": .6, "HBM": .33, "CUSTOM_SILICON": 1, "OPTICAL_800G": .56, "ADVANCED_NODE": .2, "CAPACITY_TIGHT": .5, "SANCTIONS": .11, "AI_REVENUE": .7},
    "Foundry": {"GPU": .27, "HBM": .14, "CUSTOM_SILICON": .3, "OPTICAL_800G": .09, "ADVANCED_NODE": .6, "CAPACITY_TIGHT": .45, "SANCTIONS": .09, "CAPEX": .5, "DOMESTIC_CHIP": .1},
    "Memory": {"GPU": .6, "HBM": 1, "ADVANCED_NODE": .33, "CAPACITY_TIGHT": .67, "CAPEX": .4, "AI_REVENUE": .3},
    "Equipment": {"GPU": .12, "HBM": .6, "LIQUID_COOLING": 0, "ADVANCED_NODE": .6, "CAPACITY_TIGHT": .35, "SANCTIONS": .41},
    "Networking": {"GPU": .67, "CUSTOM_SILICON": .3, "LIQUID_COOLING": .17, "OPTICAL_800G": .5, "CAPACITY_TIGHT": .5, "AI_REVENUE": .5},
    "Optical": {"GPU": .5, "OPTICAL_800G": 1, "CAPACITY_TIGHT": .75, "SANCTIONS": .25, "AI_REVENUE": .3},
    "Power/Cool": {"GPU": .5, "LIQUID_COOLING": 1, "CAPACITY_TIGHT": .5, "AI_REVENUE": .2},
    "AI Server": {"GPU": .9, "LIQUID_COOLING": .7, "CAPACITY_TIGHT": .4, "AI_REVENUE": .4},
    "Edge AI": {"GPU": .2, "CUSTOM_SILICON": .6, "ADVANCED_NODE": .2, "AI_REVENUE": .4, "DOMESTIC_CHIP": .2},
    "AI Apps": {"GPU": .3, "DOMESTIC_CHIP": .5, "AI_REVENUE": .6},
}
DEFAULT_PROFILE = {"GPU": .4, "CAPACITY_TIGHT": .3, "AI_REVENUE": .3}

# Filed quarterly capex of the hyperscalers, as the EDGAR connector would land it (discrete quarters,
# USD bn). Our figures, shaped like the filings: MSFT and META split their call figure into cash paid
# for PP&E and finance-lease principal; AMZN files gross productive assets, a little above the cash capex
# it states on the call (the scope explains the gap); GOOGL and ORCL file what they say.
# (ticker, period_end, fiscal_year, fiscal_quarter, {concept: USD bn}, form, filed)
_PPE, _LEASE, _GROSS = ("PaymentsToAcquirePropertyPlantAndEquipment", "FinanceLeasePrincipalPayments",
                        "PaymentsToAcquireProductiveAssets")
FILED_CAPEX: list[tuple] = [
    ("MSFT", "2024-06-30", 2024, 4, {_PPE: 13.9, _LEASE: 5.1}, "10-K", "2024-07-30"),
    ("MSFT", "2024-09-30", 2025, 1, {_PPE: 14.9, _LEASE: 5.1}, "10-Q", "2024-10-30"),
    ("MSFT", "2024-12-31", 2025, 2, {_PPE: 15.8, _LEASE: 6.8}, "10-Q", "2025-01-29"),
    ("MSFT", "2025-03-31", 2025, 3, {_PPE: 16.7, _LEASE: 4.7}, "10-Q", "2025-04-30"),
    ("MSFT", "2025-06-30", 2025, 4, {_PPE: 17.1, _LEASE: 7.1}, "10-K", "2025-07-30"),
    ("MSFT", "2025-09-30", 2026, 1, {_PPE: 19.4, _LEASE: 15.5}, "10-Q", "2025-10-29"),
    ("MSFT", "2025-12-31", 2026, 2, {_PPE: 29.9, _LEASE: 7.6}, "10-Q", "2026-01-28"),
    ("META", "2024-06-30", 2024, 2, {_PPE: 8.2, _LEASE: 0.3}, "10-Q", "2024-07-31"),
    ("META", "2024-09-30", 2024, 3, {_PPE: 8.9, _LEASE: 0.3}, "10-Q", "2024-10-30"),
    ("META", "2024-12-31", 2024, 4, {_PPE: 14.4, _LEASE: 0.4}, "10-K", "2025-01-30"),
    ("META", "2025-03-31", 2025, 1, {_PPE: 12.9, _LEASE: 0.8}, "10-Q", "2025-04-30"),
    ("META", "2025-06-30", 2025, 2, {_PPE: 16.5, _LEASE: 0.5}, "10-Q", "2025-07-30"),
    ("META", "2025-09-30", 2025, 3, {_PPE: 18.8, _LEASE: 0.6}, "10-Q", "2025-10-29"),
    ("META", "2025-12-31", 2025, 4, {_PPE: 21.4, _LEASE: 0.7}, "10-K", "2026-01-29"),
    ("GOOGL", "2024-09-30", 2024, 3, {_PPE: 13.0}, "10-Q", "2024-10-29"),
    ("GOOGL", "2025-03-31", 2025, 1, {_PPE: 17.2}, "10-Q", "2025-04-24"),
    ("GOOGL", "2025-06-30", 2025, 2, {_PPE: 22.4}, "10-Q", "2025-07-23"),
    ("AMZN", "2024-12-31", 2024, 4, {_GROSS: 27.8}, "10-K", "2025-02-06"),
    ("AMZN", "2025-03-31", 2025, 1, {_GROSS: 25.0}, "10-Q", "2025-05-01"),
    ("AMZN", "2025-06-30", 2025, 2, {_GROSS: 32.2}, "10-Q", "2025-07-31"),
    ("AMZN", "2025-09-30", 2025, 3, {_GROSS: 35.1}, "10-Q", "2025-10-30"),
    ("ORCL", "2024-11-30", 2025, 2, {_PPE: 4.0}, "10-Q", "2024-12-10"),
    ("ORCL", "2025-02-28", 2025, 3, {_PPE: 5.9}, "10-Q", "2025-03-11"),
]


# Supply-chain links management states (our own words): the sample report's "Who supplies whom" network.
LINK_FACTS: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("NVDA", "2025-08-20"): [("ceo", "We buy our wafers from TSMC under a long-term agreement that runs for several more years.")],
    ("NVDA", "2025-11-15"): [("ceo", "We shipped our newest rack systems to Microsoft, Oracle and CoreWeave during the quarter.")],
    ("NVDA", "2026-02-16"): [("cfo", "Our memory suppliers, SK hynix and Micron, met every commitment they made to us this year.")],
    ("MU", "2026-02-24"): [("ceo", "Our largest customer, NVIDIA, widened its orders with us again this quarter.")],
    ("HYNIX", "2025-11-23"): [("ceo", "NVIDIA remains our largest customer, and AMD became a new customer this year.")],
    ("AVGO", "2026-03-04"): [("ceo", "We deepened our partnership with Google this quarter, and Meta selected our switches for its new clusters.")],
    ("ANET", "2026-02-25"): [("cfo", "Meta is our largest customer, and we compete directly with Cisco in every large network build.")],
    ("AMD", "2026-02-21"): [("ceo", "Oracle deployed our newest server chips across several regions, and we compete with NVIDIA for every large cluster.")],
    ("MSFT", "2026-01-28"): [("ceo", "Our partnership with OpenAI keeps deepening, and we buy most of our electrical gear from Eaton.")],
    ("TSM", "2026-01-15"): [("ceo", "Our largest customers, including Apple and NVIDIA, keep moving their newest designs to us.")],
    ("DELL", "2026-02-15"): [("ceo", "We delivered our biggest server orders yet to xAI and CoreWeave, and we partner with NVIDIA on each of them.")],
    ("VRT", "2026-02-08"): [("ceo", "Microsoft is now our largest customer for thermal systems.")],
    ("SMCI", "2026-02-06"): [("ceo", "NVIDIA is our main supplier, and we compete with Dell for most large deployments.")],
    ("ASML", "2026-02-18"): [("ceo", "TSMC, Samsung and Intel remain our largest customers for scanners.")],
}
MDNA_LINK_FACTS: dict[tuple[str, str], list[str]] = {
    ("INNOLIGHT", "H1 2025"): ["公司主要客户包括英伟达、谷歌和亚马逊。"],
    ("SUGON", "H1 2025"): ["公司主要供应商包括海光信息。"],
    ("FII", "H1 2025"): ["公司与英伟达在整机柜产品上开展深度合作。"],
}
