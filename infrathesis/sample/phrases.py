"""Sentence templates for the sample corpus (our own wording). `{co}` is the company's name."""

# Management sentences that mention one topic each. Several per topic so calls do not repeat verbatim.
MGMT_EN = {
    "GPU": [
        "Our newest GPU clusters came online ahead of schedule and are already fully utilized by training workloads.",
        "We took delivery of a large tranche of Blackwell systems this quarter and brought them into production within weeks.",
        "Customers keep asking for more H100 and H200 capacity, and we are prioritizing the largest commitments.",
        "The GB200 racks we shipped this quarter carried the highest content per system in our history.",
        "We continue to qualify AI accelerators from more than one vendor so that our fleet is not tied to a single roadmap.",
        "Demand for accelerated computing broadened from model builders to enterprises during the quarter.",
    ],
    "HBM": [
        "HBM shipments grew sharply again, and our HBM3E output for next year is already committed under contract.",
        "High-bandwidth memory now accounts for a meaningful share of our DRAM revenue.",
        "Each new accelerator generation needs more HBM stacks, which keeps our memory roadmap tied to AI demand.",
        "We expanded test and packaging lines dedicated to HBM during the quarter.",
    ],
    "CUSTOM_SILICON": [
        "Our custom accelerators are now deployed at scale alongside merchant GPUs in the same clusters.",
        "We taped out the next generation of our ASIC program with a major hyperscale customer.",
        "Demand for custom silicon from our largest customers continues to broaden beyond a single design.",
        "Our in-house chips lower the cost per inference call, and we will keep investing in them.",
        "The XPU programs we support moved from pilot volumes to production this quarter.",
    ],
    "LIQUID_COOLING": [
        "Liquid cooling is becoming the default for new AI halls, and our order book reflects that shift.",
        "We doubled our direct-to-chip cooling capacity to keep pace with rack densities.",
        "Most of the racks we will ship next year are designed to be liquid-cooled.",
        "Immersion cooling pilots with two customers moved into commercial deployment.",
    ],
    "OPTICAL_800G": [
        "Shipments of 800G transceivers reached a record, and 1.6T samples are in qualification with several customers.",
        "Co-packaged optics remains on our roadmap, but pluggable modules will carry most of the volume for now.",
        "Silicon photonics is gaining share in our data center interconnect products.",
        "We added EML laser capacity to support demand for high-speed optical modules.",
    ],
    "ADVANCED_NODE": [
        "Our 3nm technology contributed a growing share of wafer revenue, and 2nm remains on track for volume production.",
        "CoWoS capacity continues to expand, and we expect advanced packaging to stay tight through next year.",
        "Our next product family moves to the N3P process and uses advanced packaging to combine chiplets.",
        "High-NA EUV tools shipped to two customers for development of leading-edge nodes.",
    ],
    "CAPACITY_TIGHT": [
        "Demand continues to exceed supply, and we remain capacity constrained into the next several quarters.",
        "Our lines are effectively sold out for the year, and new orders are being scheduled further out.",
        "We are still short of power and data center space, so capacity remains tight for AI workloads.",
        "Customer allocations remain in place because supply of key components is constrained.",
    ],
    "SANCTIONS": [
        "New export controls limit what we can ship to certain customers in China, and our outlook reflects that.",
        "Shipments to entity-listed customers remain on hold while we seek licenses.",
        "We have assumed no revenue from restricted products under the current export restrictions.",
    ],
    "CAPEX": [
        "We will keep investing in AI infrastructure because demand signals remain strong.",
        "Our capital expenditures remain focused on servers and data centers that support AI workloads.",
        "Capex intensity stays elevated as we build for the next phase of demand.",
    ],
    "DOMESTIC_CHIP": [
        "We continue to validate domestic chips for inference workloads and are broadening that supplier base.",
        "Localization of our compute supply chain is progressing, with more domestic chip options qualified.",
    ],
    "AI_REVENUE": [
        "AI revenue grew faster than any other part of the business and now runs at a multi-billion annual pace.",
        "AI-related revenue more than doubled from a year ago.",
        "Our AI business is now the largest contributor to incremental growth.",
    ],
}

# Analysts' questions, one topic each.
ANALYST_EN = {
    "GPU": "Could you talk about GPU availability and how quickly you can bring new clusters online?",
    "HBM": "How do you think about HBM supply for next year, and does it limit your plans?",
    "CUSTOM_SILICON": "Where do your custom silicon efforts stand relative to merchant GPUs?",
    "LIQUID_COOLING": "What share of new deployments will need liquid cooling next year?",
    "OPTICAL_800G": "How quickly is the market moving from 800G to 1.6T optics?",
    "ADVANCED_NODE": "Can you update us on CoWoS and advanced packaging capacity?",
    "CAPACITY_TIGHT": "When do you expect supply to catch up with demand, given you remain capacity constrained?",
    "SANCTIONS": "What assumptions about export controls are embedded in your outlook?",
    "CAPEX": "How should we think about capital expenditures beyond this year?",
    "DOMESTIC_CHIP": "How far along is the shift to domestic chips in your infrastructure?",
    "AI_REVENUE": "Can you size AI revenue today and how fast it is growing?",
}

# Filler with the hard negatives an analyst would not count (AI alone, capacity to innovate, years).
NEUTRAL_EN = [
    "AI is reshaping how our customers run their businesses, and we are early in that journey.",
    "We have the capacity to innovate across the whole portfolio, and our teams executed well.",
    "Operating margin expanded, helped by disciplined spending and a favorable mix.",
    "Free cash flow was healthy, and we returned cash to shareholders through buybacks and dividends.",
    "In 2025 we also celebrated our fortieth year as a company, which says a lot about our culture.",
    "Our product numbers such as the 7000 series continue to sell well into industrial customers.",
    "We remain disciplined on hiring and focused on our highest-return projects.",
]

ANSWER_OPENERS = [
    "Thanks for the question.",
    "Good question, and let me take it in two parts.",
    "Sure, I will start and my colleague can add detail.",
]

MGMT_ZH = {
    "GPU": ["报告期内，公司智能计算产品出货量大幅增长，训练用算力卡需求旺盛。", "公司加快新一代AI加速卡的研发与量产节奏。"],
    "CUSTOM_SILICON": ["公司持续投入自研芯片，推动软硬件协同优化。", "面向云端客户的定制芯片项目进入量产阶段。"],
    "LIQUID_COOLING": ["公司液冷服务器出货占比持续提升，冷板式与浸没式方案均已规模交付。", "数据中心能耗要求提高，液冷成为新建智算中心的主流选择。"],
    "OPTICAL_800G": ["受益于数据中心建设，800G光模块出货量快速增长，1.6T产品已实现批量交付。", "公司加大硅光技术研发投入，高速光模块市场份额进一步提升。"],
    "ADVANCED_NODE": ["公司在先进封装相关设备领域取得突破，多款产品进入客户产线验证。", "先进制程用刻蚀与薄膜设备订单保持增长。"],
    "CAPACITY_TIGHT": ["高端产品市场供不应求，公司产线持续满载运行。", "受下游需求拉动，核心产品产能紧张，公司正在扩充产能。"],
    "SANCTIONS": ["公司被列入实体清单后，部分境外供应受到限制，公司已建立多元化供应体系。", "出口管制政策变化给行业供应链带来不确定性，公司持续跟踪并积极应对。"],
    "CAPEX": ["公司适度增加资本开支，用于扩建产线与研发中心。"],
    "DOMESTIC_CHIP": ["国产替代进程加快，公司产品在国内客户中的渗透率持续提升。", "公司积极推进核心部件国产化，提升供应链自主可控水平。"],
    "AI_REVENUE": ["报告期内，AI相关收入占营业收入的比重明显提高。"],
}
NEUTRAL_ZH = [
    "公司坚持以客户为中心，持续完善治理结构与内部控制。",
    "报告期内，公司研发投入保持较高水平，研发人员数量稳步增加。",
    "公司重视股东回报，积极实施现金分红。",
    "面对复杂多变的外部环境，公司经营保持稳健。",
]

# Catalysts (issue 19): a management sentence with a dated forward event, `{when}` filled with a month
# after the call's date, so the sample's calendar has upcoming and passed windows at any as-of date.
# No topic terms here: the planted sentences leave the topic matrices and the claims as they were.
CATALYSTS_EN = [
    "We plan to launch our next platform {when}.",
    "Our newest product family is on track to ramp into volume production {when}.",
    "We expect first customer shipments of the new system {when}.",
    "Our new assembly site is scheduled to come online {when}.",
    "We will host an investor day {when} to walk through our longer-term plans.",
]
