import pytest

from search.indexing import apply_pending
from tests.resources.factories import art_form, make_course, make_heritage, make_teacher


@pytest.fixture
def index_now():
    """Apply the owed index updates now: in a test transaction, on_commit never fires."""
    return apply_pending


@pytest.fixture
def small_catalogue(network, index_now):
    """A few entries of every visibility, indexed."""
    hub, liling, youxian = network["hub"], network["liling"], network["youxian"]
    calligraphy, dance = art_form("书法"), art_form("舞蹈")
    entries = {
        "kids_calligraphy": make_course(
            liling,
            status="open",
            title="少儿书法培训班",
            description="醴陵市文化馆举办少儿书法培训，学习楷书基础。",
            art_form=calligraphy,
            audience="children",
            fee_type="free",
        ),
        "adult_calligraphy": make_course(
            youxian,
            status="open",
            title="成人书法提高班",
            description="行书、隶书临帖与创作。",
            art_form=calligraphy,
            audience="all",
            fee_type="low",
        ),
        "kids_dance": make_course(
            hub,
            status="open",
            title="儿童舞蹈启蒙",
            description="适合五到八岁儿童的舞蹈课程。",
            art_form=dance,
            audience="children",
            fee_type="free",
        ),
        "law_lecture": make_course(
            hub, status="open", title="图书法规讲座", description="图书馆管理法规普及。"
        ),
        "staff_only": make_course(
            hub,
            status="open",
            title="馆员内部书法研修",
            description="仅供网络内工作人员。",
            art_form=calligraphy,
            visibility="staff",
        ),
        "owner_only": make_course(
            liling,
            status="open",
            title="醴陵馆内部书法备课",
            description="仅本馆可见。",
            art_form=calligraphy,
            visibility="owner",
        ),
        "draft": make_course(liling, title="书法草稿课程"),
        "teacher": make_teacher(
            liling, name="石峰", bio="醴陵书法家协会会员，擅长楷书。", art_forms=[calligraphy]
        ),
        "heritage": make_heritage(
            liling, name="醴陵釉下五彩瓷烧制技艺", description="国家级非物质文化遗产。"
        ),
    }
    index_now()
    return entries
