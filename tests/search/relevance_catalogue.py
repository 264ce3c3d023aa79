"""A fixed catalogue for the relevance tests: Zhuzhou cultural content over the `network` venues.

Each entry has a stable key (c- course, t- teacher, p- programme, h- heritage item, a- article,
e- event, v- venue page); the judgements in relevance_queries.py refer to these keys. Some entries
are deliberate distractors: 图书法规 holds 书法 and 外国画家 holds 国画 only by accident, 琵琶记
is an opera, and 石峰 (a photographer and a district) shares the initials sf with 书法.

The tables are one entry a line, columns separated by "|", "-" for an empty value.
"""

from dataclasses import dataclass, field

# The venue pages the `network` fixture publishes, with their titles (to read the judgements).
VENUE_PAGES = {
    "v-hub": ("hub", "株洲市群众艺术馆"),
    "v-liling": ("liling", "醴陵市文化馆"),
    "v-pukou": ("pukou", "醴陵市文化馆浦口分馆"),
    "v-shimen": ("shimen", "醴陵市文化馆浦口分馆石门村服务点"),
    "v-youxian": ("youxian", "攸县文化馆"),
    "v-huangfeng": ("huangfeng", "攸县文化馆皇图岭分馆"),
    "v-school": ("school", "株洲市群众艺术馆悦舞培训学校服务点"),
}

# key | venue | title | art form | audience | fee type | description   (all status "open")
COURSES = """
c-shufa-shaoer     | hub       | 少儿书法班         | 书法     | children | low     | 面向7至12岁的孩子，从握笔姿势和基本笔画学起，临写楷书字帖。
c-shufa-ertong     | school    | 儿童书法启蒙课     | 书法     | children | charged | 用游戏认识汉字结构，练习毛笔中锋用笔，每次课后带回一幅作品。
c-shufa-chengren   | liling    | 成人书法提高班     | 书法     | youth    | charged | 面向有一定基础的成人学员，临习颜真卿楷书与王羲之行书。
c-shufa-yingbi     | youxian   | 硬笔书法入门       | 书法     | all      | low     | 钢笔字规范书写，适合中学生和上班族，每周两课时。
c-shufa-laonian    | pukou     | 长者书法研修班     | 书法     | seniors  | free    | 为退休老人开设的公益课程，免费报名，以隶书和行书为主，重在修身养性。
c-guohua-shaoer    | liling    | 少儿国画启蒙       | 美术     | children | low     | 学习水墨小品与花鸟写意，培养孩子的观察力和想象力。
c-guohua-shanshui  | hub       | 中国画山水技法研修 | 美术     | all      | charged | 系统学习山水画的勾、皴、擦、点、染，临摹宋元名作。
c-sumiao           | hub       | 素描基础班         | 美术     | all      | charged | 从几何体写生开始，掌握明暗与透视。
c-youhua           | liling    | 成人油画入门       | 美术     | youth    | charged | 认识油画材料与色彩，完成一幅静物写生。
c-chahua           | youxian   | 插花艺术入门       | 美术     | all      | charged | 学习东方插花的构图与花材搭配。
c-huaguxi          | youxian   | 花鼓戏唱腔培训班   | 戏曲     | all      | low     | 学唱《刘海砍樵》《打铜锣》等经典选段，由剧团演员授课。
c-xiangxiu         | hub       | 湘绣针法体验课     | 非遗技艺 | all      | low     | 在传承人指导下学习平针和掺针，完成一方小绣片。
c-ci               | liling    | 釉下五彩瓷绘画体验 | 非遗技艺 | all      | low     | 在瓷坯上勾线、分水，体验釉下彩绘的全过程。
c-jianzhi-ertong   | school    | 儿童剪纸DIY        | 美术     | children | charged | 对折、团花、窗花，亲子共同完成一幅作品。
c-jianzhi-shifeng  | hub       | 石峰社区剪纸公益课 | 美术     | all      | free    | 面向社区居民的免费剪纸课程，材料由馆里提供。
c-zhubian          | youxian   | 竹编技艺体验课     | 非遗技艺 | all      | low     | 用本地楠竹编织提篮和小动物，了解攸县竹编传统。
c-gcw              | pukou     | 广场舞基础班       | 广场舞   | all      | low     | 零基础学跳广场舞，每周二、四晚在浦口分馆门前广场。
c-paiwu            | shimen    | 排舞健身队         | 舞蹈     | all      | low     | 学习《小苹果》等流行排舞曲目，强身健体，结交朋友。
c-wudao-shaoer     | school    | 少儿舞蹈基础班     | 舞蹈     | children | charged | 中国舞基本功训练，包括软开度、身韵和小组合。
c-lading           | school    | 儿童拉丁舞         | 舞蹈     | children | charged | 恰恰、伦巴入门，培养节奏感和自信心。
c-minzuwu          | liling    | 成人民族舞         | 舞蹈     | youth    | low     | 学习藏族、蒙古族、傣族舞蹈的基本动律。
c-jiewu            | school    | 青少年街舞班       | 舞蹈     | youth    | charged | Hip-hop 与 Breaking 基础，学期末参加汇报演出。
c-erhu             | hub       | 二胡入门班         | 器乐     | all      | low     | 从持琴和运弓学起，一学期学会《茉莉花》等简单乐曲。
c-huqin            | huangfeng | 民族胡琴进阶       | 器乐     | all      | low     | 板胡、京胡、高胡等胡琴的演奏技巧与名曲赏析。
c-guzheng          | hub       | 古筝考级班         | 器乐     | all      | charged | 按中国音协考级教材分级教学。
c-pipa             | hub       | 琵琶基础班         | 器乐     | all      | charged | 学习弹挑和轮指，掌握《彝族舞曲》片段。
c-hulusi           | shimen    | 葫芦丝兴趣班       | 器乐     | all      | free    | 葫芦丝音色优美、易学易奏，村民免费参加。
c-ukulele          | hub       | 尤克里里弹唱班     | 器乐     | all      | charged | 四根弦的小吉他，边弹边唱流行歌曲。
c-hechang-lao      | hub       | 中老年合唱班       | 声乐     | seniors  | low     | 学习发声方法与多声部合唱，学期末参加汇报演出。
c-hechang-tong     | youxian   | 童声合唱团         | 声乐     | children | charged | 招收8至14岁的少年儿童，训练音准与和声听觉。
c-shengyue         | liling    | 成人声乐班         | 声乐     | youth    | charged | 民族唱法与美声唱法基础，纠正常见的发声问题。
c-sheying-phone    | hub       | 手机摄影入门       | 摄影     | all      | low     | 学会构图、用光和后期修图，用手机拍出好照片。
c-sheying-fengguang| liling    | 风光摄影提高班     | 摄影     | all      | charged | 外出采风，练习长曝光与日出日落拍摄。
c-langsong         | hub       | 少儿朗诵与主持     | 朗诵     | children | charged | 练习普通话、气息与舞台台风，适合6至12岁的孩子。
c-xiezuo           | youxian   | 青少年文学写作营   | 文学     | youth    | charged | 暑期写作营，学习观察与描写，优秀作品推荐发表。
c-kuaiban          | liling    | 快板入门           | 曲艺     | all      | low     | 学习竹板打法与贯口，排练传统快板段子。
"""

# key | venue | name | art forms | teaching levels | bio
# 石峰 is a photographer's name and a district (石峰区): initials sf, like 书法.
TEACHERS = """
t-ouyang   | hub       | 欧阳明 | 书法        | 少儿启蒙、成人提高 | 中国书法家协会会员，从事书法教学二十年，擅长楷书和隶书。
t-tan      | youxian   | 谭雅琴 | 美术        | -                  | 擅长工笔花鸟，从事国画创作与教学十五年，株洲市美术家协会会员。
t-liu      | youxian   | 刘春华 | 戏曲        | -                  | 国家二级演员，攸县花鼓戏代表性传承人，从艺三十余年。
t-zhou     | hub       | 周秀英 | 非遗技艺    | -                  | 湘绣非遗传承人，从事刺绣四十年，作品多次获省级工艺美术金奖。
t-chen     | pukou     | 陈玉华 | 非遗技艺    | -                  | 陶瓷工艺美术师，专注釉下五彩瓷彩绘三十年。
t-yi       | huangfeng | 易凤娇 | 美术        | -                  | 攸县剪纸传承人，作品曾在省民间艺术展获奖。
t-li       | school    | 李红梅 | 广场舞 舞蹈 | -                  | 国家一级社会体育指导员，编创广场舞和排舞作品二十余支。
t-wang     | school    | 王晓舟 | 舞蹈        | -                  | 中国舞考级教师，专注少儿舞蹈教学十年。
t-luo      | huangfeng | 罗建国 | 器乐        | -                  | 攸县民乐团首席，擅长二胡和板胡演奏。
t-he       | hub       | 何静   | 器乐        | -                  | 古筝、琵琶演奏员，中国音乐家协会会员。
t-zhang    | liling    | 张德明 | 声乐        | -                  | 男高音，醴陵市合唱协会指挥，擅长合唱指挥与声乐教学。
t-shifeng  | hub       | 石峰   | 摄影        | -                  | 株洲市摄影家协会会员，擅长人像和纪实摄影。
"""

# key | venue | title | kind | art form | performers | description
# Distractors: 图书法规 holds 书法 and 外国画家 holds 国画 by accident; 琵琶记 is an opera.
PROGRAMMES = """
p-shufa-zhan     | hub      | 株洲市书法家协会会员作品展 | exhibition  | 书法     | -                    | 展出楷、行、草、隶、篆各体作品六十余件。
p-shufa-jiangzuo | liling   | 书法艺术鉴赏讲座           | lecture     | 书法     | -                    | 从甲骨文到行草，讲解历代名帖的欣赏方法。
p-tushu-fagui    | hub      | 图书法规知识讲座           | lecture     | -        | -                    | 介绍著作权法和出版管理条例，面向社区图书室管理员。
p-guohua-zhan    | youxian  | 攸县山水国画作品展         | exhibition  | 美术     | -                    | 展出本土画家创作的山水国画四十幅。
p-waiguo         | hub      | 外国画家与印象派讲座       | lecture     | 美术     | -                    | 介绍莫奈、雷诺阿等外国画家的代表作品与创作背景。
p-huaguxi        | liling   | 花鼓戏经典折子戏专场       | performance | 戏曲     | 醴陵市花鼓戏剧团     | 醴陵市花鼓戏剧团演出《刘海砍樵》《补锅》等传统剧目。
p-xiangju        | hub      | 湘剧高腔名段欣赏           | performance | 戏曲     | -                    | 湘剧是湖南的大剧种，本场演出《拜月记》《琵琶记》选段。
p-xiangxiu-zhan  | liling   | 湘绣精品展                 | exhibition  | 非遗技艺 | -                    | 展出湘绣屏风、挂画等作品三十件。
p-ci-zhan        | liling   | 醴陵瓷器精品展             | exhibition  | 美术     | -                    | 展出釉下五彩瓷代表作品和当代陶瓷艺术家的新作。
p-gcw-pk         | hub      | 广场舞PK赛                 | performance | 广场舞   | -                    | 各社区队伍同台竞技，评出最佳人气队伍。
p-wudao          | youxian  | 青少年舞蹈专场汇演         | performance | 舞蹈     | -                    | 攸县各学校选送的少儿舞蹈节目十二个。
p-erhu           | liling   | 二胡独奏音乐会             | performance | 器乐     | 罗建国               | 演奏《二泉映月》《赛马》《江河水》等名曲。
p-hechang        | hub      | 红色经典合唱音乐会         | performance | 声乐     | 株洲市群众艺术馆合唱团 | 演唱《黄河大合唱》《歌唱祖国》等经典曲目。
p-changge        | pukou    | 社区唱歌兴趣小组           | workshop    | -        | -                    | 每周六上午一起唱歌，教唱经典老歌，欢迎长者参加。
p-sheying-zhan   | youxian  | “美丽攸县”摄影作品展       | exhibition  | 摄影     | -                    | 展出反映攸县山水人文的摄影作品八十幅。
p-shifeng        | hub      | 石峰区群众文艺汇演         | performance | -        | -                    | 社区文艺队带来歌舞、小品、三句半等节目。
p-dianying       | hub      | 周末公益电影放映           | performance | -        | -                    | 每周六晚放映经典国产影片，市民免费入场。
"""

# key | venue | name | category | level | description
HERITAGE = """
h-huaguxi  | youxian   | 攸县花鼓戏             | drama     | provincial | 流行于攸县及周边的地方戏曲剧种，用湘东方言演唱，曲调活泼，列入省级非物质文化遗产名录。
h-piying   | huangfeng | 皇图岭皮影戏           | drama     | county     | 以牛皮雕刻人物，艺人一人操纵多个影人，配以锣鼓说唱，列入县级非物质文化遗产名录。
h-xiangxiu | hub       | 湘绣                   | fine_arts | national   | 以湖南为中心的刺绣工艺，针法多变，善绣狮虎，列入第一批国家级非物质文化遗产名录。
h-ci       | liling    | 醴陵釉下五彩瓷烧制技艺 | craft     | national   | 醴陵瓷器以釉下五彩著称，色彩封在釉层之下，历久如新，列入国家级非物质文化遗产名录。
h-jianzhi  | huangfeng | 攸县剪纸               | fine_arts | county     | 以红纸剪刻花鸟和戏文人物，常用于婚嫁和节庆，列入县级非遗名录。
h-yandi    | hub       | 炎帝陵祭典             | custom    | national   | 每年在炎陵县炎帝陵举行的祭祀始祖炎帝神农氏的典礼，列入国家级非物质文化遗产名录。
"""

# key | venue | title | summary                (published articles)
ARTICLES = """
a-tushu   | youxian | 攸县开展图书法规宣传进社区活动   | 工作人员向居民讲解图书法规和版权保护知识。
a-huaguxi | youxian | 攸县花鼓戏剧团送戏下乡           | 剧团走进皇图岭镇，为村民送上三场花鼓戏公益演出。
a-feiyi   | hub     | 《非物质文化遗产保护条例》解读   | 条例明确了非遗代表性项目和传承人的认定办法。
"""

# key | venue | title | place | audience | summary      (published events)
EVENTS = """
e-shufa | hub    | 迎新春少儿书法现场挥毫         | 株洲市群众艺术馆一楼大厅 | children | 小书法家们现场书写春联，免费赠送市民。
e-ci    | liling | 非遗进校园：釉下五彩瓷体验日   | 醴陵市实验小学           | children | 陶瓷艺人走进校园，带孩子们在瓷盘上彩绘。
e-gcw   | hub    | 株洲市第五届广场舞大赛         | 神农城广场               | all      | 全市四十支队伍参赛，设一、二、三等奖。
"""


@dataclass(frozen=True)
class Entry:
    key: str
    kind: str  # course, teacher, programme, heritage, article, event
    venue: str  # a key of the `network` fixture
    title: str  # course or programme title, teacher's or heritage item's name, page title
    text: str  # description, bio or summary
    art_forms: tuple = ()
    # Model fields of the kind (audience, fee_type, kind, performers, level, place...).
    fields: dict = field(default_factory=dict, hash=False)


def _rows(table):
    for line in table.strip().splitlines():
        yield [("" if cell.strip() == "-" else cell.strip()) for cell in line.split("|")]


def _entries():
    for key, venue, title, form, audience, fee_type, text in _rows(COURSES):
        fields = {"audience": audience, "fee_type": fee_type}
        yield Entry(key, "course", venue, title, text, (form,), fields)
    for key, venue, name, forms, levels, bio in _rows(TEACHERS):
        yield Entry(
            key, "teacher", venue, name, bio, tuple(forms.split()), {"teaching_levels": levels}
        )
    for key, venue, title, kind, form, performers, text in _rows(PROGRAMMES):
        fields = {"kind": kind, "performers": performers}
        yield Entry(key, "programme", venue, title, text, (form,) if form else (), fields)
    for key, venue, name, category, level, text in _rows(HERITAGE):
        yield Entry(key, "heritage", venue, name, text, (), {"category": category, "level": level})
    for key, venue, title, summary in _rows(ARTICLES):
        yield Entry(key, "article", venue, title, summary)
    for key, venue, title, place, audience, summary in _rows(EVENTS):
        yield Entry(key, "event", venue, title, summary, (), {"place": place, "audience": audience})


CATALOGUE = list(_entries())
BY_KEY = {entry.key: entry for entry in CATALOGUE}
KEYS = frozenset(BY_KEY) | frozenset(VENUE_PAGES)


def text_of(key):
    """What a resident reads on an entry: title, text, art forms and the other field values."""
    if key in VENUE_PAGES:
        return VENUE_PAGES[key][1]
    entry = BY_KEY[key]
    return " ".join([entry.title, entry.text, *entry.art_forms, *map(str, entry.fields.values())])
