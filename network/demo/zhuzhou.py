"""A plausible Zhuzhou (株洲市) venue network for demos, as plain data.

County, district, township and street names are real; the villages and communities under the
branches, the hub's training schools, clubs and private venues, the addresses and the
statistics are illustrative. Coordinates are the real approximate county seats with the
townships scattered around them deterministically (from a hash of the venue code), so every
load produces the same data. Everything here complies with the plan (network.plan): the tests
check that, so editing this file cannot quietly make the demo non-compliant.
"""

import hashlib
import math
from datetime import date, time, timedelta
from decimal import Decimal

from network.plan import Level, OperatorType

DEMO_PASSWORD = "culturehall-demo"  # nosec B105: demo only, documented in docs/demo-data.md
SUPERUSER = "admin"
EMAIL_DOMAIN = "example.com"

# --- weekly timetables: [(weekday, opens, closes, is_free)], Monday = 0 --------------------


def _t(text):
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _slots(days, opens, closes, free=True):
    return [(day, _t(opens), _t(closes), free) for day in days]


TUE_TO_SUN = (1, 2, 3, 4, 5, 6)
MON_TO_SAT = (0, 1, 2, 3, 4, 5)

# Hub and main centres: closed Monday, split days plus weekday evenings; 52 h, all free.
CENTRE_HOURS = [
    *_slots(TUE_TO_SUN, "08:30", "12:00"),
    *_slots(TUE_TO_SUN, "14:30", "18:00"),
    *_slots((1, 2, 3, 4, 5), "19:00", "21:00"),
]
# Branches open free (免费开放): closed Monday, 48 h …
BRANCH_HOURS_A = [
    *_slots(TUE_TO_SUN, "08:30", "12:00"),
    *_slots(TUE_TO_SUN, "14:30", "18:00"),
    *_slots((1, 3, 5), "19:00", "21:00"),
]
# … or closed Tuesday, 49 h.
BRANCH_HOURS_B = [
    *_slots((0, 2, 3, 4, 5, 6), "08:00", "12:00"),
    *_slots((0, 2, 3, 4, 5, 6), "14:30", "18:00"),
    *_slots((4, 5), "19:30", "21:30"),
]
# Village/community centres: free by day, paid evening classes; 48 h, 36 h free.
COMMUNITY_HOURS = [
    *_slots(TUE_TO_SUN, "08:30", "11:30"),
    *_slots(TUE_TO_SUN, "14:30", "17:30"),
    *_slots(TUE_TO_SUN, "19:00", "21:00", free=False),
]
# Training schools: paid classes, free public-welfare mornings and weekend evenings; 48 h, 13 h free.
TRAINING_SCHOOL_HOURS = [
    *_slots((1, 2, 3), "09:00", "12:00"),
    *_slots((1, 2, 3, 4), "16:00", "21:00", free=False),
    *_slots((5, 6), "08:30", "12:00", free=False),
    *_slots((5, 6), "14:00", "18:00", free=False),
    *_slots((5, 6), "19:00", "21:00"),
]
# Company clubs: open to residents free in the evenings; closed Sunday; 48 h, 12 h free.
COMPANY_CLUB_HOURS = [
    *_slots(MON_TO_SAT, "09:00", "12:00", free=False),
    *_slots(MON_TO_SAT, "14:30", "17:30", free=False),
    *_slots(MON_TO_SAT, "19:00", "21:00"),
]
# Private venues: closed Wednesday; free early afternoons; 51 h, 12 h free.
PRIVATE_VENUE_HOURS = [
    *_slots((0, 1, 3, 4, 5, 6), "10:00", "12:00", free=False),
    *_slots((0, 1, 3, 4, 5, 6), "14:00", "16:00"),
    *_slots((0, 1, 3, 4, 5, 6), "16:00", "18:00", free=False),
    *_slots((0, 1, 3, 4, 5, 6), "19:00", "21:30", free=False),
]
POINT_HOURS = {
    OperatorType.COMMUNITY: COMMUNITY_HOURS,
    OperatorType.TRAINING_SCHOOL: TRAINING_SCHOOL_HOURS,
    OperatorType.COMPANY_CLUB: COMPANY_CLUB_HOURS,
    OperatorType.PRIVATE_VENUE: PRIVATE_VENUE_HOURS,
}

# --- deterministic variation --------------------------------------------------------------


def _fraction(code, salt):
    """A stable number in [0, 1) for `code` (no random module: every load is identical)."""
    digest = hashlib.sha256(f"{salt}:{code}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _vary(code, salt, low, high, step=1):
    steps = (high - low) // step
    return low + step * int(_fraction(code, salt) * (steps + 1))


def _scatter(code, centre, radius_km):
    """A point 25–100 % of `radius_km` from `centre` (lat, lon), in a direction set by `code`."""
    lat, lon = centre
    bearing = 2 * math.pi * _fraction(code, "bearing")
    distance = radius_km * (0.25 + 0.75 * _fraction(code, "distance"))
    dlat = distance / 111.0 * math.cos(bearing)
    dlon = distance / (111.0 * math.cos(math.radians(lat))) * math.sin(bearing)
    return round(lat + dlat, 6), round(lon + dlon, 6)


def _decimal(value):
    return Decimal(f"{value:.6f}")


def _opened(code, first, last):
    """A stable 挂牌 date between `first` and `last` (illustrative)."""
    return first + timedelta(days=_vary(code, "opened", 0, (last - first).days))


# --- the network --------------------------------------------------------------------------

HUB = {
    "code": "zhuzhou-hub",
    "name": "株洲市群众艺术馆",
    "alias": "株洲市文化馆",
    "district": "芦淞区",
    "address": "湖南省株洲市芦淞区建设中路文化园",
    "location": (27.8405, 113.1462),
    "floor_area": 3200,
    "staff_count": 32,
    "population_served": 3_900_000,
    "service_radius_km": 60,
    "description": "全市文化馆总分馆服务体系的中心馆，负责统筹全市文化馆站公共文化服务资源，"
    "组织精品节目配送、菜单式培训和数字文化馆建设。",
}

# Each county/district: its main centre (总馆) and the township/street cultural stations that
# are its branches: (code suffix, place name, township, scatter radius in km).
DISTRICTS = [
    {
        "key": "hetang",
        "district": "荷塘区",
        "place": "荷塘",
        "name": "荷塘区文化馆",
        "seat": (27.8620, 113.1650),
        "urban": True,
        "population_served": 400_000,
        "floor_area": 2600,
        "staff_count": 14,
        "branches": [
            ("yuetang", "月塘", "月塘街道", 3),
            ("songjiaqiao", "宋家桥", "宋家桥街道", 3),
            ("cigutang", "茨菇塘", "茨菇塘街道", 3),
            ("guihua", "桂花", "桂花街道", 4),
            ("xianyu", "仙庾", "仙庾镇", 10),
        ],
    },
    {
        "key": "lusong",
        "district": "芦淞区",
        "place": "芦淞",
        "name": "芦淞区文化馆",
        "seat": (27.8150, 113.1550),
        "urban": True,
        "population_served": 380_000,
        "floor_area": 2400,
        "staff_count": 13,
        "branches": [
            ("jianshe", "建设", "建设街道", 3),
            ("jianning", "建宁", "建宁街道", 3),
            ("longquan", "龙泉", "龙泉街道", 4),
            ("hejiatu", "贺家土", "贺家土街道", 4),
            ("baiguan", "白关", "白关镇", 10),
        ],
    },
    {
        "key": "shifeng",
        "district": "石峰区",
        "place": "石峰",
        "name": "石峰区文化馆",
        "seat": (27.8800, 113.1100),
        "urban": True,
        "population_served": 300_000,
        "floor_area": 2200,
        "staff_count": 12,
        "branches": [
            ("xiangshiling", "响石岭", "响石岭街道", 3),
            ("qingshuitang", "清水塘", "清水塘街道", 5),
            ("jingshulu", "井墅路", "井墅路街道", 3),
            ("tianxin", "田心", "田心街道", 4),
            ("tongtangwan", "铜塘湾", "铜塘湾街道", 5),
        ],
    },
    {
        "key": "tianyuan",
        "district": "天元区",
        "place": "天元",
        "name": "天元区文化馆",
        "seat": (27.8300, 113.0850),
        "urban": True,
        "population_served": 500_000,
        "floor_area": 3000,
        "staff_count": 15,
        "branches": [
            ("songshanlu", "嵩山路", "嵩山路街道", 3),
            ("taishanlu", "泰山路", "泰山路街道", 3),
            ("liyu", "栗雨", "栗雨街道", 4),
            ("qunfeng", "群丰", "群丰镇", 12),
            ("leidashi", "雷打石", "雷打石镇", 15),
        ],
    },
    {
        "key": "lukou",
        "district": "渌口区",
        "place": "渌口",
        "name": "渌口区文化馆",
        "seat": (27.7000, 113.1500),
        "urban": False,
        "population_served": 300_000,
        "floor_area": 2000,
        "staff_count": 11,
        "branches": [
            ("lukou", "渌口", "渌口镇", 3),
            ("nanzhou", "南洲", "南洲镇", 15),
            ("gantian", "淦田", "淦田镇", 20),
            ("longmen", "龙门", "龙门镇", 20),
            ("zhuting", "朱亭", "朱亭镇", 25),
        ],
    },
    {
        "key": "liling",
        "district": "醴陵市",
        "place": "醴陵",
        "name": "醴陵市文化馆",
        "seat": (27.6500, 113.5000),
        "urban": False,
        "population_served": 950_000,
        "floor_area": 4200,
        "staff_count": 22,
        "branches": [
            ("pukou", "浦口", "浦口镇", 20),
            ("baitutan", "白兔潭", "白兔潭镇", 25),
            ("wangxian", "王仙", "王仙镇", 20),
            ("dongfu", "东富", "东富镇", 15),
            ("sunjiawan", "孙家湾", "孙家湾镇", 10),
            ("guanzhuang", "官庄", "官庄镇", 25),
            ("weishan", "沩山", "沩山镇", 15),
        ],
    },
    {
        "key": "youxian",
        "district": "攸县",
        "place": "攸县",
        "name": "攸县文化馆",
        "seat": (27.0000, 113.3400),
        "urban": False,
        "population_served": 680_000,
        "floor_area": 3500,
        "staff_count": 18,
        "branches": [
            ("huangtuling", "皇图岭", "皇图岭镇", 25),
            ("wangling", "网岭", "网岭镇", 15),
            ("luanshan", "鸾山", "鸾山镇", 25),
            ("jiubujiang", "酒埠江", "酒埠江镇", 20),
            ("huangfengqiao", "黄丰桥", "黄丰桥镇", 20),
        ],
    },
    {
        "key": "chaling",
        "district": "茶陵县",
        "place": "茶陵",
        "name": "茶陵县文化馆",
        "seat": (26.7900, 113.5400),
        "urban": False,
        "population_served": 580_000,
        "floor_area": 3000,
        "staff_count": 16,
        "branches": [
            ("mijiang", "洣江", "洣江街道", 3),
            ("lingfang", "舲舫", "舲舫乡", 20),
            ("huotian", "火田", "火田镇", 20),
            ("yantang", "严塘", "严塘镇", 15),
            ("hukou", "湖口", "湖口镇", 20),
        ],
    },
    {
        "key": "yanling",
        "district": "炎陵县",
        "place": "炎陵",
        "name": "炎陵县文化馆",
        "seat": (26.4900, 113.7700),
        "urban": False,
        "population_served": 200_000,
        "floor_area": 1800,
        "staff_count": 10,
        "branches": [
            ("xiayang", "霞阳", "霞阳镇", 3),
            ("luyuan", "鹿原", "鹿原镇", 20),
            ("miandu", "沔渡", "沔渡镇", 25),
            ("shidu", "十都", "十都镇", 25),
            ("shuikou", "水口", "水口镇", 20),
        ],
    },
]

# Village/community service points under branches: (branch code, code suffix, place name).
COMMUNITY_POINTS = [
    ("liling-pukou", "shimen", "石门村"),
    ("liling-weishan", "xintang", "新塘村"),
    ("liling-dongfu", "changling", "长岭村"),
    ("youxian-huangtuling", "heping", "和平社区"),
    ("youxian-jiubujiang", "shiqiao", "石桥村"),
    ("chaling-mijiang", "guangming", "光明社区"),
    ("chaling-huotian", "shuangjiang", "双江村"),
    ("yanling-luyuan", "taoyuan", "桃园村"),
    ("yanling-miandu", "datang", "大塘村"),
    ("hetang-yuetang", "xingfu", "幸福社区"),
    ("lusong-jianshe", "xinjie", "新街社区"),
    ("shifeng-tianxin", "tuanjie", "团结社区"),
    ("tianyuan-qunfeng", "jinxing", "金星村"),
    ("lukou-nanzhou", "fengshu", "枫树村"),
    ("lukou-gantian", "xinhua", "新华社区"),
]

# Training schools, company clubs and private venues join the hub directly (the plan's rule):
# (code, place name, operator type, district, address).
HUB_POINTS = [
    (
        "hub-xiangyun",
        "湘韵艺术培训学校",
        OperatorType.TRAINING_SCHOOL,
        "天元区",
        "湖南省株洲市天元区嵩山路街道",
    ),
    (
        "hub-tongxin",
        "童心美术培训中心",
        OperatorType.TRAINING_SCHOOL,
        "荷塘区",
        "湖南省株洲市荷塘区月塘街道",
    ),
    (
        "hub-jinlun",
        "金轮职工文体活动中心",
        OperatorType.COMPANY_CLUB,
        "石峰区",
        "湖南省株洲市石峰区田心街道",
    ),
    (
        "hub-hangkongcheng",
        "航空城职工之家",
        OperatorType.COMPANY_CLUB,
        "芦淞区",
        "湖南省株洲市芦淞区建宁街道",
    ),
    (
        "hub-shennong-juchang",
        "神农小剧场",
        OperatorType.PRIVATE_VENUE,
        "天元区",
        "湖南省株洲市天元区泰山路街道",
    ),
    (
        "hub-ciyuan",
        "瓷源民间艺术馆",
        OperatorType.PRIVATE_VENUE,
        "醴陵市",
        "湖南省株洲市醴陵市孙家湾镇",
    ),
]


def _main_venue(district):
    code = f"{district['key']}-main"
    lat, lon = district["seat"]
    return {
        "code": code,
        "parent": HUB["code"],
        "level": Level.MAIN,
        "name": district["name"],
        "place_name": district["place"],
        "operator_type": OperatorType.GOVERNMENT,
        "district": district["district"],
        "address": f"湖南省株洲市{district['district']}城区",
        "latitude": _decimal(lat),
        "longitude": _decimal(lon),
        "floor_area": Decimal(district["floor_area"]),
        "staff_count": district["staff_count"],
        "has_training_room": True,
        "has_functional_rooms": True,
        "population_served": district["population_served"],
        "service_radius_km": Decimal(6 if district["urban"] else 15),
        "opened_on": _opened(code, date(2017, 6, 20), date(2017, 7, 31)),
        "description": f"{district['district']}文化馆总分馆体系的总馆，加挂“株洲市文化馆"
        f"{district['place']}分馆”标牌，统筹全{district['district'][-1]}乡镇（街道）分馆和"
        "村（社区）服务点的业务指导、人员培训和资源配送。",
        "opening_hours": CENTRE_HOURS,
    }


def _branch_venue(district, suffix, place, township, radius_km, index):
    code = f"{district['key']}-{suffix}"
    lat, lon = _scatter(code, district["seat"], radius_km)
    urban = township.endswith("街道")
    return {
        "code": code,
        "parent": f"{district['key']}-main",
        "level": Level.BRANCH,
        "place_name": place,
        "operator_type": OperatorType.GOVERNMENT,
        "district": district["district"],
        "township": township,
        "address": f"湖南省株洲市{district['district']}{township}综合文化站",
        "latitude": _decimal(lat),
        "longitude": _decimal(lon),
        "floor_area": Decimal(_vary(code, "area", 320, 900, 10)),
        "staff_count": _vary(code, "staff", 2, 5),
        "has_training_room": _fraction(code, "training") < 0.8,
        "has_functional_rooms": True,
        "population_served": _vary(code, "population", 30_000, 50_000, 500),
        "service_radius_km": Decimal(_vary(code, "radius", 15, 30) if urban else 40 + 5 * index)
        / 10,
        "opened_on": _opened(code, date(2017, 8, 1), date(2018, 11, 30)),
        "description": f"{township}综合文化站，设有多功能活动厅、图书阅览室、培训教室和"
        "文体活动室，全部免费向群众开放。",
        "opening_hours": BRANCH_HOURS_A if index % 2 == 0 else BRANCH_HOURS_B,
    }


def _community_point(branch, suffix, place):
    code = f"{branch['code']}-{suffix}"
    lat, lon = _scatter(code, (float(branch["latitude"]), float(branch["longitude"])), 3)
    kind = "社区" if place.endswith("社区") else "村"
    return {
        "code": code,
        "parent": branch["code"],
        "level": Level.POINT,
        "place_name": place,
        "operator_type": OperatorType.COMMUNITY,
        "district": branch["district"],
        "township": branch["township"],
        "address": f"湖南省株洲市{branch['district']}{branch['township']}{place}综合文化服务中心",
        "latitude": _decimal(lat),
        "longitude": _decimal(lon),
        "floor_area": Decimal(_vary(code, "area", 200, 420, 10)),
        "staff_count": _vary(code, "staff", 1, 3),
        "has_training_room": True,
        "has_functional_rooms": _fraction(code, "rooms") < 0.5,
        "population_served": _vary(code, "population", 3_000, 12_000, 100),
        "service_radius_km": Decimal(_vary(code, "radius", 10, 30)) / 10,
        "opened_on": _opened(code, date(2018, 3, 1), date(2019, 6, 30)),
        "description": f"{place}{kind}综合文化服务中心，白天免费开放，晚间开设低收费兴趣班。",
        "opening_hours": COMMUNITY_HOURS,
    }


def _hub_point(code, place, operator_type, district, address):
    seat = next((d["seat"] for d in DISTRICTS if d["district"] == district), HUB["location"])
    lat, lon = _scatter(code, seat, 4)
    return {
        "code": code,
        "parent": HUB["code"],
        "level": Level.POINT,
        "place_name": place,
        "operator_type": operator_type,
        "district": district,
        "address": address,
        "latitude": _decimal(lat),
        "longitude": _decimal(lon),
        "floor_area": Decimal(_vary(code, "area", 220, 600, 10)),
        "staff_count": _vary(code, "staff", 2, 6),
        "has_training_room": True,
        "has_functional_rooms": True,
        "population_served": _vary(code, "population", 5_000, 20_000, 500),
        "service_radius_km": Decimal(_vary(code, "radius", 20, 50)) / 10,
        "opened_on": _opened(code, date(2018, 1, 15), date(2019, 12, 31)),
        "description": f"{place}加盟中心馆的服务点，每周定时免费或低收费向群众开放。",
        "opening_hours": POINT_HOURS[operator_type],
    }


def _build_venues():
    hub_lat, hub_lon = HUB["location"]
    venues = [
        {
            "code": HUB["code"],
            "parent": None,
            "level": Level.HUB,
            "name": HUB["name"],
            "alias": HUB["alias"],
            "operator_type": OperatorType.GOVERNMENT,
            "district": HUB["district"],
            "address": HUB["address"],
            "latitude": _decimal(hub_lat),
            "longitude": _decimal(hub_lon),
            "floor_area": Decimal(HUB["floor_area"]),
            "staff_count": HUB["staff_count"],
            "has_training_room": True,
            "has_functional_rooms": True,
            "population_served": HUB["population_served"],
            "service_radius_km": Decimal(HUB["service_radius_km"]),
            "description": HUB["description"],
            "opening_hours": CENTRE_HOURS,
        }
    ]
    venues += [_main_venue(d) for d in DISTRICTS]
    branches = {}
    for district in DISTRICTS:
        for index, (suffix, place, township, radius) in enumerate(district["branches"]):
            branch = _branch_venue(district, suffix, place, township, radius, index)
            branches[branch["code"]] = branch
            venues.append(branch)
    venues += [_community_point(branches[b], s, p) for b, s, p in COMMUNITY_POINTS]
    venues += [_hub_point(*point) for point in HUB_POINTS]
    return venues


# Parents always come before their children.
VENUES = _build_venues()

# --- news and events ----------------------------------------------------------------------

# News (ArticlePage) directly under a venue's page; `days_ago` is counted back from the load.
NEWS = [
    {
        "venue": "zhuzhou-hub",
        "title": "全市文化馆总分馆制建设推进会召开",
        "days_ago": 2,
        "summary": "会议总结了总分馆制建设进展，部署分馆、服务点挂牌和考核评比工作。",
        "paragraphs": [
            "近日，全市文化馆总分馆制建设推进会在株洲市群众艺术馆召开，各县（市）区文化馆负责人参加会议。",
            "会议要求各总馆加快乡镇（街道）分馆和村（社区）服务点建设，统一标识、统一服务标准，"
            "确保分馆每周免费开放不少于48小时。",
        ],
    },
    {
        "venue": "zhuzhou-hub",
        "title": "市群众艺术馆公益艺术培训班开始报名",
        "days_ago": 5,
        "summary": "书法、国画、声乐、舞蹈等十余门课程免费向市民开放报名。",
        "paragraphs": [
            "市群众艺术馆新一期公益艺术培训班开始报名，开设书法、国画、声乐、舞蹈、摄影等课程。",
            "课程全部免费，每班名额有限，市民可通过数字文化馆或到馆现场报名。",
        ],
    },
    {
        "venue": "zhuzhou-hub",
        "title": "精品节目配送走进醴陵浦口",
        "days_ago": 9,
        "summary": "中心馆组织的精品节目配送演出在醴陵市文化馆浦口分馆上演。",
        "paragraphs": [
            "由中心馆统筹的精品节目配送演出走进醴陵市文化馆浦口分馆，歌舞、花鼓戏等节目受到村民欢迎。",
        ],
    },
    {
        "venue": "liling-main",
        "title": "釉下五彩瓷绘非遗课堂走进社区",
        "days_ago": 3,
        "summary": "醴陵市文化馆组织非遗传承人为社区居民讲授釉下五彩瓷绘技艺。",
        "paragraphs": [
            "醴陵市文化馆联合非遗传承人开设釉下五彩瓷绘公益课堂，居民在老师指导下亲手绘制瓷盘。",
            "课堂将在各乡镇分馆轮流开展，欢迎群众参加。",
        ],
    },
    {
        "venue": "youxian-main",
        "title": "攸县文化馆举办群众广场舞展演",
        "days_ago": 4,
        "summary": "来自各乡镇分馆的二十支广场舞队伍同台展演。",
        "paragraphs": [
            "攸县文化馆举办群众广场舞展演，来自各乡镇分馆和村（社区）服务点的二十支队伍参加。",
        ],
    },
    {
        "venue": "chaling-main",
        "title": "茶陵县文化馆开展送戏下乡活动",
        "days_ago": 6,
        "summary": "文艺小分队将花鼓戏和茶陵牌子锣送到乡村舞台。",
        "paragraphs": [
            "茶陵县文化馆文艺小分队深入各乡镇分馆开展送戏下乡活动，为群众送上花鼓戏、茶陵牌子锣等节目。",
        ],
    },
    {
        "venue": "yanling-main",
        "title": "炎陵县文化志愿者走进瑶乡",
        "days_ago": 7,
        "summary": "文化志愿者在中村瑶族乡开展文艺辅导和演出。",
        "paragraphs": [
            "炎陵县文化馆组织文化志愿者走进中村瑶族乡，开展舞蹈辅导和文艺演出，丰富群众文化生活。",
        ],
    },
    {
        "venue": "hetang-main",
        "title": "荷塘区文化馆举办书法公益讲座",
        "days_ago": 1,
        "summary": "书法名家为书法爱好者讲解楷书基本笔法。",
        "paragraphs": [
            "荷塘区文化馆举办书法公益讲座，讲解楷书笔法和临帖方法，吸引了百余名书法爱好者到场。",
        ],
    },
    {
        "venue": "tianyuan-main",
        "title": "天元区少儿美术作品展开展",
        "days_ago": 8,
        "summary": "展出全区少儿美术作品一百余幅。",
        "paragraphs": [
            "天元区少儿美术作品展在天元区文化馆开展，展出来自各街道分馆培训班学员的作品一百余幅。",
        ],
    },
    {
        "venue": "liling-pukou",
        "title": "浦口分馆挂牌运行",
        "days_ago": 12,
        "summary": "浦口镇综合文化站挂牌成为醴陵市文化馆浦口分馆。",
        "paragraphs": [
            "浦口镇综合文化站正式挂牌醴陵市文化馆浦口分馆，实行免费开放，每周开放不少于48小时。",
        ],
    },
    {
        "venue": "youxian-huangtuling",
        "title": "皇图岭分馆开展文化骨干培训",
        "days_ago": 10,
        "summary": "总馆业务干部为村（社区）文化骨干开展培训。",
        "paragraphs": [
            "攸县文化馆业务干部来到皇图岭分馆，为辖区各村（社区）文化骨干讲授活动组织和舞蹈编排。",
        ],
    },
    {
        "venue": "lukou-gantian",
        "title": "淦田分馆举办全民阅读分享会",
        "days_ago": 6,
        "summary": "居民在分馆阅览室分享读书心得。",
        "paragraphs": [
            "渌口区文化馆淦田分馆举办全民阅读分享会，居民和学生在阅览室分享读书心得。",
        ],
    },
]

# Events (EventPage) directly under a venue's page; they start `in_days` after the load.
EVENTS = [
    {
        "venue": "zhuzhou-hub",
        "title": "株洲市群众合唱展演",
        "in_days": 6,
        "at": "19:30",
        "hours": 2,
        "place": "株洲市群众艺术馆剧场",
        "audience": "all",
        "fee_type": "free",
        "capacity": 300,
        "summary": "全市优秀群众合唱团队同台展演。",
        "paragraphs": ["来自各县（市）区的优秀群众合唱团队同台展演，免费入场，座位有限。"],
    },
    {
        "venue": "zhuzhou-hub",
        "title": "公益书法培训班",
        "in_days": 10,
        "at": "09:00",
        "hours": 2,
        "place": "株洲市群众艺术馆书画教室",
        "audience": "youth",
        "fee_type": "low",
        "fee_amount": "20.00",
        "capacity": 30,
        "summary": "楷书入门，十次课，收取少量材料费。",
        "paragraphs": ["由书法家授课的楷书入门班，共十次课，仅收取少量材料费。"],
    },
    {
        "venue": "zhuzhou-hub",
        "title": "少儿舞蹈公益体验课",
        "in_days": 3,
        "at": "15:00",
        "hours": 1,
        "place": "株洲市群众艺术馆舞蹈排练厅",
        "audience": "children",
        "fee_type": "free",
        "capacity": 25,
        "summary": "面向6至12岁儿童的舞蹈体验课。",
        "paragraphs": ["面向6至12岁儿童的舞蹈公益体验课，请家长陪同。"],
    },
    {
        "venue": "liling-main",
        "title": "釉下五彩瓷绘体验课",
        "in_days": 5,
        "at": "14:30",
        "hours": 2,
        "place": "醴陵市文化馆非遗展示厅",
        "audience": "all",
        "fee_type": "low",
        "fee_amount": "30.00",
        "capacity": 20,
        "summary": "在传承人指导下绘制一件瓷盘，收取坯料费。",
        "paragraphs": ["在非遗传承人指导下亲手绘制一件釉下五彩瓷盘，收取少量坯料费。"],
    },
    {
        "venue": "youxian-main",
        "title": "攸县广场舞大赛",
        "in_days": 14,
        "at": "19:00",
        "hours": 3,
        "place": "攸县文化馆广场",
        "audience": "seniors",
        "fee_type": "free",
        "capacity": 500,
        "summary": "各乡镇分馆选送队伍参赛。",
        "paragraphs": ["各乡镇分馆选送的广场舞队伍同台竞技，欢迎群众观看。"],
    },
    {
        "venue": "chaling-main",
        "title": "茶陵牌子锣专场演出",
        "in_days": 9,
        "at": "19:30",
        "hours": 2,
        "place": "茶陵县文化馆剧场",
        "audience": "all",
        "fee_type": "free",
        "capacity": 400,
        "summary": "非遗项目茶陵牌子锣专场演出。",
        "paragraphs": ["茶陵牌子锣传承人和爱好者带来专场演出，免费入场。"],
    },
    {
        "venue": "yanling-main",
        "title": "瑶族长鼓舞教学",
        "in_days": 12,
        "at": "15:00",
        "hours": 2,
        "place": "炎陵县文化馆排练厅",
        "audience": "youth",
        "fee_type": "free",
        "capacity": 40,
        "summary": "学跳瑶族长鼓舞。",
        "paragraphs": ["文化馆舞蹈干部教授瑶族长鼓舞基本动作，零基础可参加。"],
    },
    {
        "venue": "tianyuan-main",
        "title": "手机摄影公益讲座",
        "in_days": 4,
        "at": "09:30",
        "hours": 2,
        "place": "天元区文化馆多功能厅",
        "audience": "seniors",
        "fee_type": "free",
        "capacity": 80,
        "summary": "教中老年朋友用手机拍出好照片。",
        "paragraphs": ["讲解手机摄影构图、用光和后期，适合中老年朋友。"],
    },
    {
        "venue": "liling-pukou",
        "title": "浦口分馆露天电影放映",
        "in_days": 2,
        "at": "19:30",
        "hours": 2,
        "place": "浦口镇综合文化站广场",
        "audience": "all",
        "fee_type": "free",
        "capacity": 200,
        "summary": "免费露天电影，欢迎村民观看。",
        "paragraphs": ["分馆广场放映露天电影，免费观看。"],
    },
    {
        "venue": "youxian-huangtuling",
        "title": "花鼓戏小戏展演",
        "in_days": 7,
        "at": "19:00",
        "hours": 2,
        "place": "皇图岭镇综合文化站",
        "audience": "seniors",
        "fee_type": "free",
        "capacity": 150,
        "summary": "本地业余剧团表演花鼓戏小戏。",
        "paragraphs": ["本地业余剧团表演花鼓戏传统小戏。"],
    },
    {
        "venue": "hub-xiangyun",
        "title": "少儿声乐公益体验课",
        "in_days": 4,
        "at": "10:00",
        "hours": 1,
        "place": "湘韵艺术培训学校",
        "audience": "children",
        "fee_type": "free",
        "capacity": 20,
        "summary": "服务点面向社区儿童的免费体验课。",
        "paragraphs": ["作为中心馆服务点，培训学校每周开设免费公益体验课。"],
    },
    {
        "venue": "hub-shennong-juchang",
        "title": "周末小剧场话剧",
        "in_days": 11,
        "at": "19:30",
        "hours": 2,
        "place": "神农小剧场",
        "audience": "youth",
        "fee_type": "charged",
        "fee_amount": "60.00",
        "capacity": 120,
        "summary": "本土剧社原创话剧演出。",
        "paragraphs": ["本土剧社原创话剧，购票入场。"],
    },
]

# Colours of the generated cover cards, one per venue with news or events.
COVER_COLOURS = [
    (178, 34, 34),
    (205, 133, 63),
    (46, 139, 87),
    (70, 130, 180),
    (106, 90, 205),
    (199, 21, 133),
    (218, 165, 32),
    (0, 128, 128),
]
