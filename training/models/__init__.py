from .enrolment import (  # noqa: F401
    ACTIVE,
    Attendance,
    AttendanceMethod,
    Enrolment,
    EnrolmentStatus,
    Offering,
    Rating,
    TrainingSettings,
)
from .residents import CodePurpose, PhoneCode, Resident  # noqa: F401
