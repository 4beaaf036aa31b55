//! Phrases the demo generator assembles into plausible report texts.

pub const SUMMARY_OPENERS: &[&str] = &[
    "本月围绕“双创”升级版各项任务稳步推进",
    "本月按照分工方案要求抓好工作落实",
    "本月重点推进年度计划中的关键事项",
    "本月结合季度会议部署推动重点任务",
    "本月以督导检查发现问题整改为抓手推进工作",
];

pub const SUMMARY_CLOSERS: &[&str] = &[
    "总体进展符合预期。",
    "部分事项进度略有滞后，已制定追赶措施。",
    "下一步将加强与配合单位的沟通衔接。",
    "相关数据已同步报送统计监测平台。",
    "存在的困难已形成专题报告。",
];

pub const PROGRESS_VERBS: &[&str] = &[
    "已完成调研并形成工作方案",
    "已召开专题推进会",
    "已印发配套实施细则",
    "已完成年度目标的阶段性任务",
    "正在组织申报材料",
    "已与配合单位完成对接",
    "已开展实地督导",
    "已落实专项资金",
];

pub const DIFFICULTIES: &[&str] = &[
    "专业人才短缺，项目推进缓慢",
    "配套资金尚未到位",
    "与内地合作单位对接周期较长",
    "冬季施工受限，进度受影响",
    "申报条件较高，储备项目不足",
    "部门间协调机制尚需完善",
];

pub const NEXT_STEPS: &[&str] = &[
    "下月完成方案报批",
    "加快推进项目落地",
    "组织第二批申报",
    "开展专项督导检查",
    "召开协调会解决堵点问题",
    "做好年度总结评估",
];

pub const RETURN_REASONS: &[&str] = &[
    "指标数据与统计口径不一致，请核实后重报",
    "缺少分条目进展情况，请按模板补充",
    "困难问题表述不具体，请补充原因和措施",
    "未经单位负责人审签，请完善后重报",
    "附表数据有误，请更正",
];

pub const REMINDER_NOTES: &[&str] = &[
    "电话催办，已告知联络员",
    "发函催办",
    "微信工作群提醒",
    "第二次催办，抄送分管领导",
];

pub const EXTENSION_REASONS: &[&str] = &[
    "受冬季气候影响，施工期顺延",
    "上级批复时间晚于预期",
    "配套资金拨付延迟",
    "需与国家部委进一步衔接",
    "项目选址调整",
];

/// Notes staff leave on a missing report after chasing it.
pub const FOLLOW_UP_NOTES: &[&str] = &[
    "已电话联系联络员，承诺本周内补报",
    "联络员调整，新联络员已加入工作群",
    "单位负责人出差，待返回后审签报送",
    "系统账号密码遗失，已协助重置",
];

/// Why an item went to the leading group.
pub const ESCALATE_NOTES: &[&str] = &[
    "三次催办未果，提请领导小组督办",
    "涉及多部门协调，需领导小组研究",
    "资金缺口较大，提请领导小组协调解决",
];

/// How reminders were given, with the office's usual mix.
pub const CHANNELS: &[&str] = &["phone", "phone", "notice", "system"];

pub const STAFF: &[&str] = &["zhangming", "liyan", "tashi", "dawa", "wangjun"];

/// Item names per domain of article 16 (the order of `AuthorityDomain::ALL`).
pub const AUTHORITY_ITEMS: [&[&str]; 9] = [
    &[
        "高新技术企业认定初审",
        "科技计划项目推荐",
        "科技成果登记",
        "技术合同认定登记",
    ],
    &["园区发展规划编制", "控制性详细规划审批", "产业布局规划调整"],
    &["工业和信息化项目备案", "产业扶持资金分配", "重点产业项目认定"],
    &["高层次人才认定", "人才引进落户审核", "专业技术职称初审"],
    &["企业设立登记", "经营范围变更登记", "食品经营许可"],
    &["企业投资项目核准", "建设项目环评前置审查", "固定资产投资项目节能审查"],
    &["园区财政预决算编制", "政府性基金收支管理", "国有资产管理"],
    &["建设工程规划许可", "建筑工程施工许可", "市政设施建设审批"],
    &["建设项目环境影响评价审批", "排污许可核发", "水土保持方案审批"],
];

/// Granting department per domain (names from the unit catalog).
pub const GRANTORS: [&str; 9] = [
    "科技厅",
    "发展改革委",
    "经济和信息化厅",
    "人力资源社会保障厅",
    "市场监管局",
    "发展改革委",
    "财政厅",
    "住房城乡建设厅",
    "生态环境厅",
];

/// Document-number prefix per granting department.
pub fn doc_prefix(grantor: &str) -> &'static str {
    match grantor {
        "科技厅" => "藏科发",
        "发展改革委" => "藏发改",
        "经济和信息化厅" => "藏经信发",
        "人力资源社会保障厅" => "藏人社发",
        "市场监管局" => "藏市监发",
        "财政厅" => "藏财发",
        "住房城乡建设厅" => "藏建发",
        "生态环境厅" => "藏环发",
        _ => "藏政发",
    }
}

/// Contact persons: Tibetan and Han names as they appear on office rosters.
pub const SURNAMES: &[&str] = &["", "", "", "王", "李", "张", "刘", "陈", "杨", "赵"];
pub const GIVEN_NAMES: &[&str] = &[
    "卓玛", "次仁", "扎西", "央金", "多吉", "格桑", "拉姆", "旺堆", "德吉", "平措", "晓梅", "建国", "海燕", "志强",
];
