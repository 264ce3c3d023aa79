"""考核评比与以奖代补: the yearly evaluation of the venues and the reward allocation.

rules.py holds the default indicator systems and grade thresholds; models.py the systems the hub
edits, the reviewers' manual scores and the stored (versioned) results; sources.py the registry
of where each indicator's raw value comes from; scoring.py and allocation.py the arithmetic;
compute.py runs an evaluation; services.py publishes, confirms 摘牌 and scopes what users see.
"""
