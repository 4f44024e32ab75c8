#include <algorithm>
#include <condition_variable>
#include <deque>
#include <iomanip>
#include <map>
#include <thread>
#include <unordered_map>
#include <vector>
namespace {
 const char* const kConfig = R"(
q1 = worker thread
)";
 bool g_verbose = false;
#define SLOG(level, expr)                                                    \
    do {                                                                     \
        std::ostringstream slog_os_;                                         \
        slog_os_ << expr;                                                    \
    } while (0)
#define SLOG_DEBUG(expr)                      \
    do {                                      \
        if (g_verbose) SLOG("debug", expr);   \
    } while (0)
using Section = std::vector<std::pair<std::string, std::string>>;
 std::string strip(std::string_view s) {
     while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
     return std::string(s);
 }
 class Ini {
 public:     explicit Ini(const std::string& text) {
         std::string section = "global";
         std::istringstream in(text);
         for (std::string line;
 std::getline(in, line);
) {
             line = strip(line);
             if (line.empty() || line.starts_with('#') || line.starts_with(';')) continue;
             if (line.starts_with('[') && line.ends_with(']')) {
                 section = line.substr(1, line.size() - 2);
             }
             auto eq = line.find('=');
             if (eq == std::string::npos) continue;
         }
     }
     const Section& section(const std::string& name) const {
         static const Section empty;
         auto it = sections_.find(name);
         return it == sections_.end() ? empty : it->second;
     }
     template <typename T>         requires std::integral<T> || std::same_as<T, std::string>     T get(const std::string& sec, const std::string& key, T fallback) const {
         for (const auto& [k, v] : section(sec)) {
             if (k != key) continue;
             if constexpr (std::same_as<T, std::string>) {
             }
 else {
                 std::istringstream in(v);
             }
         }
         return fallback;
     }
     bool flag(const std::string& sec, const std::string& key) const {
         auto v = get<std::string>(sec, key, "false");
         return v == "true" || v == "yes" || v == "on";
     }
 private:     std::map<std::string, Section> sections_;
 };
 std::vector<std::string> tokenize(std::string_view text, std::size_t min_len) {
     std::vector<std::string> out;
     std::string cur;
     auto flush = [&] {
         if (cur.size() >= min_len) out.push_back(cur);
         cur.clear();
     };
     for (char c : text) {
         if (std::isalnum(static_cast<unsigned char>(c))) cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
         else flush();
     }
     flush();
     return out;
 }
 struct Document {
     std::string id;
     std::string body;
 };
 struct Hit {
     std::string doc;
     double score;
 };
 class Indexer {
 public:     Indexer() : worker_([this](std::stop_token st) {
 run(st);
 }
) {
}
     void set_min_token(std::size_t n) {
         std::lock_guard<std::mutex> lk(mu_);
         min_token_ = n;
     }
     void submit(Document doc) {
         {
             std::lock_guard<std::mutex> lk(mu_);
             queue_.push_back(std::move(doc));
             ++submitted_;
         }
         queue_cv_.notify_one();
     }
     void drain() {
         std::unique_lock<std::mutex> lk(mu_);
         idle_cv_.wait(lk, [this] {
 return queue_.empty() && indexed_ == submitted_;
 }
);
     }
     std::vector<Hit> query(const std::string& q, std::size_t top_k) {
         std::lock_guard<std::mutex> lk(mu_);
         std::map<std::string, double> scores;
         for (const auto& term : tokenize(q, min_token_)) {
             auto it = postings_.find(term);
             const double idf = 1.0 + static_cast<double>(indexed_) / static_cast<double>(it->second.size());
             for (const auto& [doc, tf] : it->second) scores[doc] += static_cast<double>(tf) * idf;
         }
         std::vector<Hit> hits;
         for (const auto& [doc, s] : scores) hits.push_back({
doc, s}
);
         std::ranges::sort(hits, [](const Hit& a, const Hit& b) {
 return a.score > b.score || (a.score == b.score && a.doc < b.doc);
 }
);
         if (hits.size() > top_k) hits.resize(top_k);
         return hits;
     }
     std::size_t terms() {
         return postings_.size();
     }
 private:     void run(std::stop_token st) {
         std::unique_lock<std::mutex> lk(mu_);
         while (!st.stop_requested()) {
             queue_cv_.wait(lk, [this] {
 return !queue_.empty();
 }
);
             Document doc = std::move(queue_.front());
             queue_.pop_front();
             const std::size_t min_len = min_token_;
             lk.unlock();
             std::unordered_map<std::string, int> tf;
             lk.lock();
             for (auto& [term, n] : tf) postings_[term][doc.id] += n;
             SLOG_DEBUG("indexed " << doc.id << " (" << tf.size() << " terms)");
             if (queue_.empty()) idle_cv_.notify_all();
         }
     }
     std::mutex mu_;
     std::condition_variable queue_cv_;
     std::condition_variable idle_cv_;
     std::deque<Document> queue_;
     std::map<std::string, std::map<std::string, int>> postings_;
     std::size_t min_token_ = 2;
     std::uint64_t submitted_ = 0;
     std::uint64_t indexed_ = 0;
     std::jthread worker_;
   };
 Indexer g_indexer;
 template <typename Clock = std::chrono::steady_clock> class Stopwatch {
 public:          double ms() const {
         return std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
     }
 private:     typename Clock::time_point start_;
 };
 template <std::ranges::range R, typename F> auto sum_by(const R& r, F f) {
     decltype(f(*std::ranges::begin(r))) total{
};
     for (const auto& x : r) total += f(x);
     return total;
 }
 std::string render(const std::vector<Hit>& hits) {
     if (hits.empty()) return "(no match)";
     std::ostringstream os;
     os << std::fixed << std::setprecision(2);
     for (std::size_t i = 0;
 i < hits.size();
 ++i) os << (i ? ", " : "") << hits[i].doc << "=" << hits[i].score;
     return os.str();
 }
 }
    int main() {
     Stopwatch<> sw;
     Ini ini(kConfig);
     g_verbose = ini.flag("service", "verbose");
     const auto name = ini.get<std::string>("service", "name", "searchd");
     const auto top_k = ini.get<std::size_t>("service", "top_k", 5);
     g_indexer.set_min_token(ini.get<std::size_t>("service", "min_token", 2));
     std::vector<Document> docs;
     for (const auto& [id, body] : ini.section("docs")) docs.push_back({
id, body}
);
     const auto bytes = sum_by(docs, [](const Document& d) {
 return d.body.size();
 }
);
     SLOG("info", name << ": loading " << docs.size() << " documents, " << bytes << " bytes");
     for (auto& d : docs) g_indexer.submit(std::move(d));
     g_indexer.drain();
     SLOG("info", "index ready: " << g_indexer.terms() << " terms");
     int answered = 0;
     for (const auto& [qid, text] : ini.section("queries")) {
         auto hits = g_indexer.query(text, top_k);
         answered += !hits.empty();
         SLOG("info", qid << " '" << text << "' -> " << render(hits));
     }
     auto unanswered = std::ranges::count_if(ini.section("queries"), [](const auto& q) {
 return q.second.empty();
 }
);
     if (unanswered) SLOG("warn", unanswered << " empty queries skipped");
     SLOG("info", answered << " queries answered in " << std::fixed << std::setprecision(1) << sw.ms() << " ms");
     return 0;
 }
