from .activities import (  # noqa: F401
    HOLDING,
    Activity,
    RecordSource,
    RecordStatus,
    ServiceRecord,
    Shift,
    ShiftSignup,
    SignupStatus,
)
from .grids import Grid  # noqa: F401
from .people import Team, Volunteer, VolunteerStatus  # noqa: F401
from .settings import VolunteerSettings  # noqa: F401
