#include <algorithm>
#include <condition_variable>
#include <deque>
#include <iomanip>
#include <iostream>
#include <map>
#include <thread>
#include <unordered_map>
#include <vector>
namespace {
   const char* const kConfig = R"(
)";
#define SLOG(level, expr)                                                    \
    do {                                                                     \
        std::ostringstream slog_os_;                                         \
        std::cout << "searchd " << level << ": " << slog_os_.str() << std::endl; \
    } while (0)
#define SLOG_DEBUG(expr)                      \
    do {                                      \
    } while (0)
using Section = std::vector<std::pair<std::string, std::string>>;
   std::string strip(std::string_view s) {
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
             if (line.starts_with('[') && line.ends_with(']')) {                 section = line.substr(1, line.size() - 2);                 continue;             }
             auto eq = line.find('=');
             if (eq == std::string::npos) continue;
             sections_[section].emplace_back(strip(line.substr(0, eq)), strip(line.substr(eq + 1)));
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
             if constexpr (std::same_as<T, std::string>) {                 return v;             }
 else {                 std::istringstream in(v);                 T out{};                 return (in >> out) ? out : fallback;             }
         }
          return fallback;
      }
   private:     std::map<std::string, Section> sections_;
   };
   std::vector<std::string> tokenize(std::string_view text, std::size_t min_len) {
       std::vector<std::string> out;
       auto flush = [&] {
      };
       for (char c : text) {
      }
       return out;
   }
   struct Document {
       std::string id;
       std::string body;
   };
   struct Hit {
   };
   class Indexer {
   public:     Indexer() : worker_([this](std::stop_token st) {
  run(st);
  }
  ) {
 }
       void set_min_token(std::size_t n) {
      }
       std::vector<Hit> query(const std::string& q, std::size_t top_k) {
          std::lock_guard<std::mutex> lk(mu_);
          std::map<std::string, double> scores;
          for (const auto& term : tokenize(q, min_token_)) {
             auto it = postings_.find(term);
             if (it == postings_.end()) continue;
             const double idf = 1.0 + static_cast<double>(indexed_) / static_cast<double>(it->second.size());
             for (const auto& [doc, tf] : it->second) scores[doc] += static_cast<double>(tf) * idf;
         }
          std::vector<Hit> hits;
          return hits;
      }
   private:     void run(std::stop_token st) {
          std::unique_lock<std::mutex> lk(mu_);
          while (!st.stop_requested()) {
             queue_cv_.wait(lk, [this] { return !queue_.empty(); }
);
             Document doc = std::move(queue_.front());
             queue_.pop_front();
             const std::size_t min_len = min_token_;
             lk.unlock();
             std::unordered_map<std::string, int> tf;
             for (auto& t : tokenize(doc.body, min_len)) ++tf[t];
             lk.lock();
             for (auto& [term, n] : tf) postings_[term][doc.id] += n;
             ++indexed_;
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
       std::uint64_t indexed_ = 0;
       std::jthread worker_;
     };
   Indexer g_indexer;
   }
      int main() {
       Ini ini(kConfig);
       SLOG("info", "index ready: " << g_indexer.terms() << " terms");
       for (const auto& [qid, text] : ini.section("queries")) {
       }
       auto unanswered = std::ranges::count_if(ini.section("queries"), [](const auto& q) {
   return q.second.empty();
   }
  );
   }
