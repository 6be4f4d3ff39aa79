"""Interface strings in English and Chinese: a small dict, not gettext.

Every key has both languages (a test checks it, and that every key a
template uses exists). Values may hold `{name}` placeholders, filled with
str.format by `translate`. Statutory text and guides carry their own two
languages; this module is only for the site's own words.
"""
from __future__ import annotations

LANGS = ("en", "zh")
DEFAULT_LANG = "en"
LANG_NAMES = {"en": "English", "zh": "中文"}
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
COOKIE = "lang"

STRINGS: dict[str, dict[str, str]] = {
    # Site frame
    "site.name": {"en": "policykb", "zh": "policykb"},
    "site.tagline": {"en": "Social assistance policy, explained with citations",
                     "zh": "社会救助政策查询：每句解释都有出处"},
    "site.skip": {"en": "Skip to content", "zh": "跳到正文"},
    "nav.search": {"en": "Search", "zh": "搜索"},
    "nav.browse": {"en": "Browse", "zh": "浏览"},
    "nav.guides": {"en": "Guides", "zh": "指南"},
    "nav.glossary": {"en": "Glossary", "zh": "术语表"},
    "nav.handout": {"en": "Handout", "zh": "讲义"},
    "nav.main": {"en": "Main", "zh": "主导航"},
    "lang.switch": {"en": "Language", "zh": "语言"},
    "footer.disclaimer": {
        "en": "This site explains policy in plain language; it is not legal advice. Only the Chinese text of a law is authentic: English translations marked \u201cunofficial\u201d were written by the policykb team.",
        "zh": "本站用通俗语言解释政策，不构成法律意见。法规只有中文文本具有法律效力；标注“非官方译文”的英文由policykb团队翻译。"},
    "footer.ask": {"en": "Need help with your own case? Ask your township government or sub-district office.",
                   "zh": "需要办理具体事项？请咨询户籍所在地的乡镇人民政府或街道办事处。"},

    # Home
    "home.title": {"en": "Ask about social assistance", "zh": "查询社会救助政策"},
    "home.intro": {
        "en": "Ask a question in English or Chinese. You get the articles of the law that answer it, each with its citation, and plain-language guides.",
        "zh": "用中文或英文提问，即可看到回答问题的法规条文（附引用出处）和通俗易懂的指南。"},
    "search.label": {"en": "Your question", "zh": "您的问题"},
    "search.placeholder": {"en": "e.g. How do I apply for dibao?", "zh": "例如：怎么申请低保？"},
    "search.button": {"en": "Search", "zh": "搜索"},
    "search.hint": {"en": "Up to {max} characters. Whole questions work best.",
                    "zh": "最多{max}个字。用完整的问题提问效果最好。"},
    "search.options": {"en": "Search options", "zh": "搜索选项"},
    "search.mode": {"en": "Matching", "zh": "匹配方式"},
    "mode.hybrid": {"en": "Words and meaning (recommended)", "zh": "词语和语义（推荐）"},
    "mode.keyword": {"en": "Exact words only", "zh": "只按词语"},
    "mode.semantic": {"en": "Meaning only", "zh": "只按语义"},
    "search.k": {"en": "Number of articles", "zh": "显示条数"},
    "home.examples": {"en": "Example questions", "zh": "问题示例"},
    "home.for_residents": {"en": "For residents", "zh": "居民"},
    "home.for_workers": {"en": "For social workers", "zh": "社会工作者"},
    "home.for_trainers": {"en": "For trainers", "zh": "培训讲师"},
    "home.browse_title": {"en": "Or browse", "zh": "或者直接浏览"},
    "home.browse_measures": {"en": "The Interim Measures for Social Assistance, chapter by chapter",
                             "zh": "《社会救助暂行办法》全文（按章）"},
    "home.browse_pathways": {"en": "The eight pathways of the poverty alleviation plan",
                             "zh": "脱贫攻坚规划的八条路径"},
    "home.browse_guides": {"en": "Plain-language guides", "zh": "通俗指南"},
    "home.browse_glossary": {"en": "Glossary of terms", "zh": "术语表"},

    # Results
    "results.title": {"en": "Results for \u201c{q}\u201d", "zh": "“{q}”的搜索结果"},
    "results.page_title": {"en": "Search", "zh": "搜索"},
    "results.guides": {"en": "What this means for you", "zh": "这对您意味着什么"},
    "results.guides_intro": {"en": "Plain-language guides that cover your question. Every statement in them cites the law.",
                             "zh": "与您的问题相关的通俗指南，每一句都注明了法规出处。"},
    "results.articles": {"en": "What the law says", "zh": "法规原文"},
    "results.answer": {"en": "Short answer", "zh": "简要回答"},
    "results.answer_note": {"en": "A plain-language summary from the guide “{guide}” (editorial, not the text of the law). Check the cited articles.",
                            "zh": "摘自指南《{guide}》的通俗说明（编辑整理，不是法规原文），请以所引条文为准。"},
    "results.answer_read": {"en": "Read the article: {label}", "zh": "阅读条文：{label}"},
    "results.answer_guide": {"en": "From the guide:", "zh": "出自指南："},
    "badge.editorial": {"en": "Editorial", "zh": "编辑整理"},
    "results.also_searched": {"en": "Also searched:", "zh": "同时搜索了："},
    "results.more_terms": {"en": "and {n} more", "zh": "还有{n}个"},
    "results.count": {"en": "{n} articles, best match first.", "zh": "共{n}条，最相关的在前。"},
    "results.read": {"en": "Read the full article", "zh": "阅读全文"},
    "results.read_guide": {"en": "Read the guide", "zh": "阅读指南"},
    "results.not_covered_title": {"en": "Not covered here: {topic}", "zh": "本站内容不涉及：{topic}"},
    "results.low_title": {"en": "No article clearly answers this question",
                          "zh": "没有找到明确回答这个问题的条文"},
    "results.low_body": {
        "en": "The articles below are only the nearest ones we found. They may not apply to your situation, so please check them carefully or ask someone who can look at your case.",
        "zh": "下面只是最接近的几条，未必适用于您的情况。请仔细核对，或者向能了解您具体情况的人咨询。"},
    "results.nearest": {"en": "Nearest articles", "zh": "最接近的条文"},
    "results.try": {"en": "You can also try other words, or", "zh": "也可以换个说法再搜，或者"},
    "results.browse_link": {"en": "browse the law chapter by chapter.", "zh": "按章浏览法规。"},
    "results.nearest_intro": {"en": "The {n} closest articles, for reference only.", "zh": "最接近的{n}条，仅供参考。"},
    "ask.title": {"en": "Where to ask", "zh": "去哪里咨询"},
    "ask.body": {
        "en": "The township government or sub-district office where your household is registered has a single window that accepts applications for all kinds of social assistance. If you are not sure which department handles your case, you can also ask the social assistance agency or the county civil affairs department; they must deal with it or pass it on.",
        "zh": "户籍所在地的乡镇人民政府、街道办事处设有统一受理社会救助申请的窗口。不清楚该找哪个部门的，也可以先向社会救助经办机构或者县级人民政府民政部门求助，他们应当及时办理或者转交。"},
    "ask.cite": {"en": "Interim Measures for Social Assistance:", "zh": "依据《社会救助暂行办法》："},
    "error.q_empty": {"en": "Please type a question.", "zh": "请输入问题。"},
    "error.q_too_long": {
        "en": "Your question is {n} characters long. Please shorten it to {max} characters or fewer: a short question with the key words works best.",
        "zh": "您的问题有{n}个字，请缩短到{max}个字以内：简短、包含关键词的问题效果最好。"},
    "error.bad_query": {"en": "This search could not be run: {reason}", "zh": "无法执行搜索：{reason}"},
    "error.unavailable_title": {"en": "Search is not available right now", "zh": "搜索暂时不可用"},
    "error.unavailable_body": {
        "en": "You can still browse the law, the pathways, the guides and the glossary. For the site's maintainers:",
        "zh": "您仍然可以浏览法规、脱贫路径、指南和术语表。给网站维护人员的信息："},

    # Units
    "unit.official": {"en": "Official text", "zh": "官方文本"},
    "unit.seed": {"en": "Text of the seed document", "zh": "种子文件文本"},
    "unit.unofficial": {"en": "Unofficial translation", "zh": "非官方译文"},
    "unit.authentic_note": {"en": "Only the official Chinese text is authentic.", "zh": "仅中文官方文本具有法律效力。"},
    "unit.unofficial_note": {"en": "Translated by the policykb team; only the Chinese text is authentic.",
                             "zh": "由policykb团队翻译，仅供参考；以中文文本为准。"},
    "unit.unofficial_zh_note": {
        "en": "Chinese rendering of the seed's English summary by the policykb team; not the plan's official text.",
        "zh": "由policykb团队根据种子文件的英文概述译成中文，并非规划的官方文本。"},
    "unit.seed_note": {"en": "English from the seed document the project started from.",
                       "zh": "英文取自本项目的种子文件。"},
    "unit.zh_text": {"en": "Chinese", "zh": "中文"},
    "unit.en_text": {"en": "English", "zh": "英文"},
    "unit.chapter": {"en": "Chapter {n}: {title}", "zh": "第{cn}章 {title}"},
    "unit.cite_as": {"en": "Cite as", "zh": "引用格式"},
    "unit.copy": {"en": "Copy", "zh": "复制"},
    "unit.copy_en": {"en": "Copy English citation", "zh": "复制英文引用"},
    "unit.copy_zh": {"en": "Copy Chinese citation", "zh": "复制中文引用"},
    "unit.copied": {"en": "Copied", "zh": "已复制"},
    "unit.copy_failed": {"en": "Select the text and copy it", "zh": "请选中文字后复制"},
    "unit.permalink": {"en": "Permanent link", "zh": "永久链接"},
    "unit.prev": {"en": "Previous", "zh": "上一条"},
    "unit.next": {"en": "Next", "zh": "下一条"},
    "unit.neighbours": {"en": "Previous and next", "zh": "上一条和下一条"},
    "unit.refers_to": {"en": "This article refers to", "zh": "本条引用"},
    "unit.referred_by": {"en": "Referred to by", "zh": "引用本条的条款"},
    "unit.no_refs": {"en": "None.", "zh": "无。"},
    "unit.related": {"en": "Related (editorial)", "zh": "相关条款（编辑关联）"},
    "unit.guides": {"en": "Guides that cite this", "zh": "引用本条的指南"},
    "unit.no_guides": {"en": "No guide cites this yet.", "zh": "暂无指南引用本条。"},
    "unit.related_pathways": {"en": "Related pathways of the plan (editorial link, not text of either document)",
                              "zh": "相关脱贫路径（编辑关联，非文件原文）"},
    "unit.related_articles": {"en": "Related articles of the Measures (editorial link, not text of either document)",
                              "zh": "相关条文（编辑关联，非文件原文）"},
    "unit.related_note": {
        "en": "Links chosen by the policykb editors (articles on the same subject; pathways of the plan and the articles that carry them out). They are not part of the text of either document.",
        "zh": "由policykb编辑整理的关联（同一主题的条款；规划的脱贫路径与落实它的条文），不是文件原文。"},
    "unit.plan_ended": {"en": "Read the Interim Measures for Social Assistance, which remain in force",
                        "zh": "阅读仍然有效的《社会救助暂行办法》"},
    "pathways.related": {"en": "Related articles (editorial link):", "zh": "相关条文（编辑关联）："},
    "unit.note": {"en": "Editorial note", "zh": "编者注"},
    "unit.in_document": {"en": "In", "zh": "出自"},
    "handout.add": {"en": "Add to handout", "zh": "加入讲义"},
    "handout.added": {"en": "In handout \u2713", "zh": "已加入讲义 \u2713"},

    # Documents and browsing
    "browse.title": {"en": "Browse", "zh": "浏览"},
    "browse.documents": {"en": "Documents", "zh": "文件"},
    "browse.units": {"en": "{n} articles", "zh": "共{n}条"},
    "browse.pathways_n": {"en": "{n} pathways", "zh": "共{n}条路径"},
    "doc.about": {"en": "About this document", "zh": "关于本文件"},
    "doc.contents": {"en": "Contents", "zh": "目录"},
    "doc.status": {"en": "Status", "zh": "状态"},
    "doc.scope": {"en": "What this corpus holds", "zh": "本库收录范围"},
    "meta.issuer": {"en": "Issued by", "zh": "发布机关"},
    "meta.document_number": {"en": "Document number", "zh": "文号"},
    "meta.issued": {"en": "Issued", "zh": "发布日期"},
    "meta.effective": {"en": "In force from", "zh": "施行日期"},
    "meta.revised": {"en": "Revised", "zh": "修订日期"},
    "meta.revision": {"en": "Revision", "zh": "修订情况"},
    "meta.status": {"en": "Status", "zh": "效力状态"},
    "meta.source": {"en": "Source", "zh": "来源"},
    "meta.translation": {"en": "Translation", "zh": "译文说明"},
    "meta.period": {"en": "Period", "zh": "实施期"},
    "meta.scope": {"en": "Scope", "zh": "收录范围"},
    "pathways.title": {"en": "The eight pathways out of poverty", "zh": "八条脱贫路径"},
    "pathways.intro": {"en": "From the 13th Five-Year Plan for Poverty Alleviation (2016-2020).",
                       "zh": "出自《“十三五”脱贫攻坚规划》（2016—2020年）。"},
    "guides.title": {"en": "Plain-language guides", "zh": "通俗指南"},
    "guides.intro": {"en": "Each guide explains one kind of help. Every statement links to the article it comes from.",
                     "zh": "每篇指南讲解一种救助，每一句都链接到出处条文。"},
    "guides.none": {"en": "There are no guides yet.", "zh": "暂无指南。"},
    "guide.cites": {"en": "Articles this guide cites", "zh": "本指南引用的条文"},
    "guide.label": {"en": "Guide", "zh": "指南"},
    "guide.note": {"en": "This guide explains the law in plain words. If it and the law differ, the law applies.",
                   "zh": "本指南用通俗语言解释法规；如与法规原文不一致，以法规为准。"},
    "glossary.title": {"en": "Glossary", "zh": "术语表"},
    "glossary.intro": {
        "en": ("Each term with the words that mean the same thing and the everyday words that lead to it "
               "(medical bills to medical assistance). When your question uses one of them, the search also looks for the others."),
        "zh": "每个术语及其同义词和通向它的常用说法（如“住院”通向医疗救助）。问题里用到其中一个时，搜索也会查找其他几个。"},
    "glossary.none": {"en": "The glossary is empty for now.", "zh": "术语表暂时为空。"},
    # The lists hold the everyday words that lead to a concept (住院, 看病) beside its names.
    "glossary.terms_en": {"en": "English terms and everyday words", "zh": "英文术语与常用说法"},
    "glossary.terms_zh": {"en": "Chinese terms and everyday words", "zh": "中文术语与常用说法"},
    "glossary.sources": {"en": "Sources", "zh": "出处"},

    # Handout
    "handout.title": {"en": "Handout", "zh": "讲义"},
    "handout.intro_field": {"en": "Introduction", "zh": "导语"},
    "handout.questions": {"en": "Discussion questions", "zh": "讨论题"},
    "handout.questions_hint": {"en": "One question a line.", "zh": "每行一个问题。"},
    "handout.note": {"en": "Trainer's note", "zh": "讲师提示"},
    "handout.note_for": {"en": "Note for item {n}", "zh": "第{n}项的提示"},
    "handout.save": {"en": "Save title, notes and questions", "zh": "保存标题、提示和讨论题"},
    "handout.order_document": {"en": "Order as in the documents", "zh": "按文件顺序排列"},
    "handout.make_chapter": {"en": "Make a handout of this chapter", "zh": "把本章做成讲义"},
    "handout.make_pathways": {"en": "Make a handout of all pathways", "zh": "把全部脱贫路径做成讲义"},
    "handout.make_guide": {"en": "Make a handout of the articles this guide cites", "zh": "把本指南引用的条文做成讲义"},
    "handout.open_with": {"en": "Open a handout with this", "zh": "用本条新建讲义"},
    "handout.toolbar": {"en": "Print tools", "zh": "打印工具"},
    "handout.intro": {
        "en": "Collect articles and guides for a class: use \u201cAdd to handout\u201d on any article, guide or search result. The handout lives in this link and in your browser; nothing is stored on the server.",
        "zh": "为培训课收集条文和指南：在条文、指南或搜索结果上点击“加入讲义”。讲义保存在链接和您的浏览器中，服务器不保存任何内容。"},
    "handout.empty": {"en": "Your handout is empty.", "zh": "讲义还是空的。"},
    "handout.heading": {"en": "Handout title", "zh": "讲义标题"},
    "handout.default_title": {"en": "Social assistance: articles and guides", "zh": "社会救助：条文与指南"},
    "handout.print": {"en": "Print view", "zh": "打印版"},
    "handout.print_now": {"en": "Print", "zh": "打印"},
    "handout.back": {"en": "Back to the handout", "zh": "返回讲义"},
    "handout.markdown": {"en": "Download as Markdown", "zh": "下载 Markdown 文件"},
    "handout.link": {"en": "Link to this handout", "zh": "本讲义的链接"},
    "handout.copy_link": {"en": "Copy link", "zh": "复制链接"},
    "handout.remove": {"en": "Remove", "zh": "移除"},
    "handout.up": {"en": "Move up", "zh": "上移"},
    "handout.down": {"en": "Move down", "zh": "下移"},
    "handout.clear": {"en": "Start a new handout", "zh": "新建讲义"},
    "handout.texts": {"en": "Texts", "zh": "文本"},
    "handout.texts_both": {"en": "Chinese and English", "zh": "中英文"},
    "handout.texts_zh": {"en": "Chinese only", "zh": "仅中文"},
    "handout.texts_en": {"en": "English only", "zh": "仅英文"},
    "handout.apply": {"en": "Apply", "zh": "应用"},
    "handout.unknown": {"en": "Not found, left out: {ids}", "zh": "未找到，已略去：{ids}"},
    "handout.too_many": {"en": "A handout holds at most {max} items; the rest were left out.",
                         "zh": "一份讲义最多{max}项，其余已略去。"},
    "handout.items": {"en": "{n} items", "zh": "共{n}项"},
    "handout.made": {"en": "Made with policykb on {date}.", "zh": "由policykb生成，{date}。"},
    "handout.source": {"en": "Source", "zh": "出处"},
    "handout.restored": {"en": "This link replaced the handout you had in this browser.",
                         "zh": "此链接替换了您浏览器里原来的讲义。"},
    "handout.restore": {"en": "Bring back the previous one", "zh": "恢复原来的讲义"},

    # Eligibility check
    "nav.check": {"en": "Check help", "zh": "救助自查"},
    "check.title": {"en": "Check what help you may get", "zh": "看看您可能获得哪些救助"},
    "check.home_body": {
        "en": "Answer a few questions about your situation, one at a time, and see which kinds of social assistance may apply to you, why, and the articles of the law that say so.",
        "zh": "逐一回答几个关于您情况的问题，看看哪些社会救助可能适用于您、为什么，以及依据的法规条文。"},
    "check.home_button": {"en": "Start the check", "zh": "开始自查"},
    "check.intro": {
        "en": "Answer a few questions to see which kinds of social assistance may apply, why, and what to do next. Every result cites the articles of the law.",
        "zh": "回答几个问题，看看哪些社会救助可能适用、理由是什么、下一步怎么做。每项结果都注明法规条文。"},
    "check.link_ignored": {
        "en": "This address held answers. For your privacy the check no longer reads answers from addresses: please answer again.",
        "zh": "此网址中带有回答。为保护隐私，本自查不再从网址读取回答，请重新回答。"},
    "check.adviser_link": {"en": "For social workers: all questions on one page", "zh": "社会工作者：全部问题一页填写"},
    "check.how_title": {"en": "How this check works", "zh": "关于本自查"},
    "check.how_unsure": {"en": "If you are not sure of an answer, choose \u201cI don't know\u201d: the result then says what it depends on.",
                         "zh": "不确定的，选择“不知道”，结果会说明取决于什么。"},
    "check.how_private": {
        "en": "Your answers are not stored or logged and never appear in the address bar: they travel only inside this page's form.",
        "zh": "您的回答不会被保存或记录，也不会出现在网址中，只在本页表单中传送。"},
    "check.how_decision": {"en": "The result is not a decision: the departments named in it decide.",
                           "zh": "结果不是审批决定，由结果中列明的部门决定。"},
    "check.step": {"en": "Question {n}", "zh": "第{n}题"},
    "check.at_most_left": {"en": "at most {n} to go", "zh": "最多还有{n}题"},
    "check.change_answer": {"en": "Change your answer", "zh": "修改您的回答"},
    "check.yes": {"en": "Yes", "zh": "是"},
    "check.no": {"en": "No", "zh": "否"},
    "check.dont_know": {"en": "I don't know", "zh": "不知道"},
    "check.none_of_these": {"en": "None of these", "zh": "以上都没有"},
    "check.number_hint": {"en": "A whole number from {min} to {max}.", "zh": "填写{min}到{max}之间的整数。"},
    "check.multi_hint": {"en": "Tick all that apply; if none does, just press Next.", "zh": "符合的都勾选；都不符合的，直接点“下一题”。"},
    "check.err_yesno": {"en": "Please choose Yes or No, or \u201cI don't know\u201d.", "zh": "请选择“是”或“否”，或者点“不知道”。"},
    "check.err_number": {"en": "Please type a whole number from {min} to {max}, or choose \u201cI don't know\u201d.",
                         "zh": "请填写{min}到{max}之间的整数，或者点“不知道”。"},
    "check.err_multi": {"en": "Please tick the answers that apply.", "zh": "请勾选符合的情况。"},
    "check.next": {"en": "Next", "zh": "下一题"},
    "check.back": {"en": "Back", "zh": "上一题"},
    "check.skip": {"en": "See the result now", "zh": "直接查看结果"},
    "check.restart": {"en": "Start again", "zh": "重新开始"},
    "check.change": {"en": "Change", "zh": "修改"},
    "check.why_ask": {"en": "Why we ask:", "zh": "提问依据："},
    "check.answers_so_far": {"en": "Your answers so far ({n})", "zh": "您已回答的问题（{n}）"},
    "check.result_title": {"en": "What help you may get", "zh": "您可能获得的救助"},
    "check.likely": {"en": "May apply to you", "zh": "可能适用"},
    "check.depends": {"en": "May apply: it depends on answers you did not give or on a local rule",
                      "zh": "可能适用：取决于您未回答的问题或者地方规定"},
    "check.unlikely": {"en": "Probably does not apply", "zh": "可能不适用"},
    "check.local_rule": {"en": "A local rule decides this, not an answer.", "zh": "这一点由地方规定决定，与您的回答无关。"},
    "check.open_question": {"en": "Depends on:", "zh": "取决于："},
    "check.assumption": {"en": "An assumption decides this:", "zh": "此结果取决于一项假定："},
    "check.receive": {"en": "What you may receive", "zh": "可能获得"},
    "check.next_steps": {"en": "What to do next", "zh": "下一步怎么做"},
    "check.articles": {"en": "The articles:", "zh": "相关条文："},
    "check.guide": {"en": "Plain-language guide", "zh": "通俗指南"},
    "check.none": {"en": "None.", "zh": "无。"},
    "check.both_title": {"en": "If you do not know the local standard", "zh": "不知道当地标准时"},
    "check.both_above": {"en": "If it is above {amount} yuan per person a month (your household's income per person), these may apply:",
                         "zh": "当地标准高于每人每月{amount}元（您家的人均月收入）时，可能适用："},
    "check.both_not_above": {"en": "If it is {amount} yuan or less, these may apply:",
                             "zh": "当地标准不高于{amount}元时，可能适用："},
    "check.together": {"en": "Receiving several kinds at once", "zh": "同时获得多项救助"},
    "check.continue": {"en": "Continue the questions", "zh": "继续回答"},
    "check.print": {"en": "Print", "zh": "打印"},
    "check.download": {"en": "Download (Markdown)", "zh": "下载（Markdown）"},
    "check.print_hint": {"en": "Use your browser's Print command to print this page.", "zh": "请使用浏览器的打印功能打印本页。"},
    "check.your_answers": {"en": "Your answers", "zh": "您的回答"},
    "check.keep": {
        "en": "Nothing is kept: to keep this result, print or download it. Closing the page forgets the answers.",
        "zh": "本站不保存任何内容：如需保留结果，请打印或下载。关闭页面后，回答即被清除。"},
    "check.adviser_title": {"en": "Adviser view: every question on one page", "zh": "社会工作者视图：全部问题一页填写"},
    "check.adviser_intro": {
        "en": "For frontline workers going through a case with a resident. Questions that do not matter for this case are ignored.",
        "zh": "供基层工作人员与居民逐项核对使用。与本案无关的问题将被忽略。"},
    "check.adviser_blank": {"en": "A question left blank counts as \u201cI don't know\u201d.", "zh": "未填写的问题按“不知道”处理。"},
    "check.see_result": {"en": "See the result", "zh": "查看结果"},
    "check.bad_title": {"en": "The answers in this form could not be read", "zh": "无法读取此表单中的回答"},
    "check.bad_body": {"en": "The form may have been changed. Nothing is stored on our server, so please start the check again.",
                       "zh": "表单可能被修改过。本站不保存任何内容，请重新开始自查。"},
    "check.bad_unknown": {"en": "\u201c{name}\u201d is not one of the questions.", "zh": "“{name}”不是本自查的问题。"},
    "check.bad_value": {"en": "\u201c{value}\u201d is not an answer to \u201c{question}\u201d.", "zh": "“{value}”不是“{question}”的有效回答。"},

    # Errors
    "error.404_title": {"en": "Page not found", "zh": "找不到这个页面"},
    "error.404_body": {"en": "There is no page at this address. It may have been typed wrongly.",
                       "zh": "这个地址没有页面，可能是输入有误。"},
    "error.unit_404": {"en": "There is no article or pathway with the id \u201c{id}\u201d.",
                       "zh": "没有编号为“{id}”的条文或路径。"},
    "error.500_title": {"en": "Something went wrong", "zh": "出错了"},
    "error.500_body": {"en": "The site could not show this page. Please try again in a moment.",
                       "zh": "网站暂时无法显示这个页面，请稍后再试。"},
    "error.400_title": {"en": "This request could not be understood", "zh": "无法理解这个请求"},
    "error.405_title": {"en": "This action is not allowed here", "zh": "此处不允许这个操作"},
    "error.go_home": {"en": "Go to the home page", "zh": "返回首页"},
}

# Example questions on the home page, per audience, in each interface language.
EXAMPLES: dict[str, dict[str, list[str]]] = {
    "residents": {
        "en": ["How do I apply for dibao?",
               "Our house was destroyed in a flood. Is there help to rebuild it?",
               "A family member fell seriously ill and we cannot cope. What help exists?"],
        "zh": ["怎么申请低保？",
               "受灾后房子倒了，重建有补助吗？",
               "家里有人得了重病，生活过不下去怎么办？"],
    },
    "workers": {
        "en": ["Who checks whether dibao households still qualify?",
               "Does the township have to seek out people who qualify even if they never applied?",
               "Which office receives applications for social assistance?"],
        "zh": ["低保家庭的情况多久核查一次？",
               "特困人员供养包括哪些内容？",
               "社会救助申请由哪个部门受理？"],
    },
    "trainers": {
        "en": ["What happens to officials who embezzle social assistance funds?",
               "Must applicants report their income and property honestly?",
               "What does poverty alleviation through relocation mean?"],
        "zh": ["挪用社会救助资金要承担什么责任？",
               "申请人必须如实申报收入和财产吗？",
               "易地搬迁脱贫是什么意思？"],
    },
}

# Metadata keys of a document shown with a label; others show their key.
META_ORDER = ("issuer", "document_number", "issued", "effective", "revised", "revision",
              "period", "source", "translation")


def normalise_lang(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower()
    if value in LANGS:
        return value
    if value.startswith("zh"):
        return "zh"
    if value.startswith("en"):
        return "en"
    return None


def translate(key: str, lang: str, **params) -> str:
    try:
        text = STRINGS[key][lang]
    except KeyError:
        # A missing key is a bug the tests catch; show the key rather than fail the page.
        text = STRINGS.get(key, {}).get(DEFAULT_LANG, key)
    return text.format(**params) if params else text


def pick(obj_or_dict, base: str, lang: str, default: str = "") -> str:
    """`base_zh` or `base_en` of a dict (or attributes of an object), in the reader's language first."""
    other = "en" if lang == "zh" else "zh"
    get = obj_or_dict.get if isinstance(obj_or_dict, dict) else (lambda k: getattr(obj_or_dict, k, None))
    for key in (f"{base}_{lang}", f"{base}_{other}", base):
        value = get(key)
        if value:
            return value
    return default
