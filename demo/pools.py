"""Names, places and plans the demo county is drawn from."""

from projects.models import Project

TOWNSHIPS = ["城关镇", "东城街道", "西城街道", "南湖镇", "北山乡", "青石镇", "柳河镇", "桃源乡"]
DEPARTMENTS = ["县住建局", "县自然资源局", "县财政局", "县市场监管局", "县人社局", "县信访局"]
NAME_HEADS = [
    "锦绣",
    "御景",
    "翡翠",
    "金色",
    "阳光",
    "湖畔",
    "滨江",
    "书香",
    "龙湾",
    "盛世",
    "东方",
    "紫金",
    "银河",
    "碧桂",
    "世纪",
    "天悦",
    "云栖",
    "铂悦",
    "名都",
    "香榭",
]
NAME_TAILS = [
    "华府",
    "湾",
    "城",
    "花园",
    "名苑",
    "公馆",
    "家园",
    "雅居",
    "府",
    "新城",
    "壹号",
    "里",
]
COMPANY_HEADS = [
    "恒昌",
    "鑫泰",
    "华宇",
    "宏达",
    "金盛",
    "兴业",
    "广厦",
    "远大",
    "新城",
    "瑞丰",
    "中天",
    "永盛",
    "德润",
    "嘉禾",
    "荣华",
    "安居",
    "恒基",
    "泰和",
    "富源",
    "祥瑞",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
]
# Supervision tasks and the department that owns each kind.
TASKS = [
    ("落实专项借款拨付", "县财政局"),
    ("督促总包单位复工", "县住建局"),
    ("办理竣工验收备案手续", "县住建局"),
    ("清偿农民工工资", "县人社局"),
    ("完成质量问题整改", "县市场监管局"),
    ("协调办理不动产首次登记", "县自然资源局"),
]
MILESTONES = ["复工复产", "主体结构封顶", "外立面及配套施工", "竣工验收备案", "交付业主"]

# Final state of the demo projects: one status each in turn, so every status appears.
STATUS_CYCLE = [
    Project.Status.NORMAL,
    Project.Status.LAGGING,
    Project.Status.NORMAL,
    Project.Status.SEMI_STOPPED,
    Project.Status.STOPPED,
    Project.Status.COMPLETED,
    Project.Status.DELIVERED,
    Project.Status.NORMAL,
]
PROGRESS_RANGE = {
    Project.Status.NORMAL: (45, 90),
    Project.Status.LAGGING: (30, 70),
    Project.Status.SEMI_STOPPED: (20, 60),
    Project.Status.STOPPED: (10, 50),
    Project.Status.COMPLETED: (100, 100),
    Project.Status.DELIVERED: (100, 100),
}
