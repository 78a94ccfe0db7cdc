/// The 21 LongBench v1 datasets ACBench runs: prompt template (`config/dataset2prompt.json` of
/// THUDM/LongBench, typos kept), generation length (`config/dataset2maxlen.json`) and metric.
public struct LongBenchDataset: Sendable, Equatable {
    public let name: String
    /// Python `str.format` template with `{context}` and/or `{input}`.
    public let prompt: String
    public let maxTokens: Int
    public let metric: LongBenchMetric

    /// Every dataset, in the reference's order.
    public static let all: [LongBenchDataset] = [
        .init(name: "narrativeqa", maxTokens: 128, metric: .qaF1,
              prompt: "You are given a story, which can be either a novel or a movie script, and a question. Answer the question asconcisely as you can, using a single phrase if possible. Do not provide any explanation.\n\nStory: {context}\n\nNow, answer the question based on the story asconcisely as you can, using a single phrase if possible. Do not provide any explanation.\n\nQuestion: {input}\n\nAnswer:"),
        .init(name: "qasper", maxTokens: 128, metric: .qaF1,
              prompt: "You are given a scientific article and a question. Answer the question as concisely as you can, using a single phrase or sentence if possible. If the question cannot be answered based on the information in the article, write \"unanswerable\". If the question is a yes/no question, answer \"yes\", \"no\", or \"unanswerable\". Do not provide any explanation.\n\nArticle: {context}\n\n Answer the question based on the above article as concisely as you can, using a single phrase or sentence if possible. If the question cannot be answered based on the information in the article, write \"unanswerable\". If the question is a yes/no question, answer \"yes\", \"no\", or \"unanswerable\". Do not provide any explanation.\n\nQuestion: {input}\n\nAnswer:"),
        .init(name: "multifieldqa_en", maxTokens: 64, metric: .qaF1,
              prompt: "Read the following text and answer briefly.\n\n{context}\n\nNow, answer the following question based on the above text, only give me the answer and do not output any other words.\n\nQuestion: {input}\nAnswer:"),
        .init(name: "multifieldqa_zh", maxTokens: 64, metric: .qaF1Zh,
              prompt: "阅读以下文字并用中文简短回答：\n\n{context}\n\n现在请基于上面的文章回答下面的问题，只告诉我答案，不要输出任何其他字词。\n\n问题：{input}\n回答："),
        .init(name: "hotpotqa", maxTokens: 32, metric: .qaF1,
              prompt: "Answer the question based on the given passages. Only give me the answer and do not output any other words.\n\nThe following are given passages.\n{context}\n\nAnswer the question based on the given passages. Only give me the answer and do not output any other words.\n\nQuestion: {input}\nAnswer:"),
        .init(name: "2wikimqa", maxTokens: 32, metric: .qaF1,
              prompt: "Answer the question based on the given passages. Only give me the answer and do not output any other words.\n\nThe following are given passages.\n{context}\n\nAnswer the question based on the given passages. Only give me the answer and do not output any other words.\n\nQuestion: {input}\nAnswer:"),
        .init(name: "musique", maxTokens: 32, metric: .qaF1,
              prompt: "Answer the question based on the given passages. Only give me the answer and do not output any other words.\n\nThe following are given passages.\n{context}\n\nAnswer the question based on the given passages. Only give me the answer and do not output any other words.\n\nQuestion: {input}\nAnswer:"),
        .init(name: "dureader", maxTokens: 128, metric: .rougeZh,
              prompt: "请基于给定的文章回答下述问题。\n\n文章：{context}\n\n请基于上述文章回答下面的问题。\n\n问题：{input}\n回答："),
        .init(name: "gov_report", maxTokens: 512, metric: .rouge,
              prompt: "You are given a report by a government agency. Write a one-page summary of the report.\n\nReport:\n{context}\n\nNow, write a one-page summary of the report.\n\nSummary:"),
        .init(name: "qmsum", maxTokens: 512, metric: .rouge,
              prompt: "You are given a meeting transcript and a query containing a question or instruction. Answer the query in one or more sentences.\n\nTranscript:\n{context}\n\nNow, answer the query based on the above meeting transcript in one or more sentences.\n\nQuery: {input}\nAnswer:"),
        .init(name: "multi_news", maxTokens: 512, metric: .rouge,
              prompt: "You are given several news passages. Write a one-page summary of all news. \n\nNews:\n{context}\n\nNow, write a one-page summary of all the news.\n\nSummary:"),
        .init(name: "vcsum", maxTokens: 512, metric: .rougeZh,
              prompt: "下面有一段会议记录，请你阅读后，写一段总结，总结会议的内容。\n会议记录：\n{context}\n\n会议总结："),
        .init(name: "trec", maxTokens: 64, metric: .classification,
              prompt: "Please determine the type of the question below. Here are some examples of questions.\n\n{context}\n{input}"),
        .init(name: "triviaqa", maxTokens: 32, metric: .qaF1,
              prompt: "Answer the question based on the given passage. Only give me the answer and do not output any other words. The following are some examples.\n\n{context}\n\n{input}"),
        .init(name: "samsum", maxTokens: 128, metric: .rouge,
              prompt: "Summarize the dialogue into a few short sentences. The following are some examples.\n\n{context}\n\n{input}"),
        .init(name: "lsht", maxTokens: 64, metric: .classification,
              prompt: "请判断给定新闻的类别，下面是一些例子。\n\n{context}\n{input}"),
        .init(name: "passage_count", maxTokens: 32, metric: .count,
              prompt: "There are some paragraphs below sourced from Wikipedia. Some of them may be duplicates. Please carefully read these paragraphs and determine how many unique paragraphs there are after removing duplicates. In other words, how many non-repeating paragraphs are there in total?\n\n{context}\n\nPlease enter the final count of unique paragraphs after removing duplicates. The output format should only contain the number, such as 1, 2, 3, and so on.\n\nThe final answer is: "),
        .init(name: "passage_retrieval_en", maxTokens: 32, metric: .retrieval,
              prompt: "Here are 30 paragraphs from Wikipedia, along with an abstract. Please determine which paragraph the abstract is from.\n\n{context}\n\nThe following is an abstract.\n\n{input}\n\nPlease enter the number of the paragraph that the abstract is from. The answer format must be like \"Paragraph 1\", \"Paragraph 2\", etc.\n\nThe answer is: "),
        .init(name: "passage_retrieval_zh", maxTokens: 32, metric: .retrievalZh,
              prompt: "以下是若干段落文字，以及其中一个段落的摘要。请确定给定的摘要出自哪一段。\n\n{context}\n\n下面是一个摘要\n\n{input}\n\n请输入摘要所属段落的编号。答案格式必须是\"段落1\"，\"段落2\"等格式\n\n答案是："),
        .init(name: "lcc", maxTokens: 64, metric: .codeSim,
              prompt: "Please complete the code given below. \n{context}Next line of code:\n"),
        .init(name: "repobench-p", maxTokens: 64, metric: .codeSim,
              prompt: "Please complete the code given below. \n{context}{input}Next line of code:\n"),
    ]

    init(name: String, maxTokens: Int, metric: LongBenchMetric, prompt: String) {
        self.name = name; self.prompt = prompt; self.maxTokens = maxTokens; self.metric = metric
    }

    /// The dataset called `name`, if LongBench has one.
    public static func named(_ name: String) -> LongBenchDataset? { all.first { $0.name == name } }

    /// trec, triviaqa, samsum, lsht: scored on the first line of the prediction, prompted without chat wrapping.
    public var isFewShot: Bool { ["trec", "triviaqa", "samsum", "lsht"].contains(name) }
    /// Datasets prompted as raw text (few-shot and code completion).
    public var skipsChatWrapping: Bool { isFewShot || name == "lcc" || name == "repobench-p" }
}
