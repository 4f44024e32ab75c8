#include <deque>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <sstream>
namespace {
  const char* const kConfig = R"(
pool.threads: 3
segment.max_docs: 3
)";
  class Log {
  public:     void set_prefix(std::string p) {
 prefix_ = std::move(p);
 }
      std::string prefix_ = "?";
  };
#define LOGF(expr)                   \
    do {                             \
    } while (0)
std::map<std::string, std::string> parse_config(const std::string& text) {
      std::map<std::string, std::string> out;
      std::istringstream in(text);
      std::string line, key;
      while (std::getline(in, line)) {
         auto colon = line.find(':');
         if (!line.empty() && !std::isspace(static_cast<unsigned char>(line[0])) &&             colon != std::string::npos) {
             key = line.substr(0, colon);
             out[key] = line.substr(colon + 1);
         }
 else if (!key.empty()) {
             out[key] += " " + line;
           }
     }
      return out;
  }
  std::vector<std::string> split(const std::string& s, char sep) {
      std::vector<std::string> parts;
      std::string cur;
      return parts;
  }
  class ThreadPool {
  public:     ThreadPool() = default;
      ThreadPool& operator=(const ThreadPool&) = delete;
      void start(std::size_t n) {
         for (std::size_t i = 0;
 i < n;
 ++i) workers_.emplace_back([this] {
 worker_loop();
 }
);
     }
      template <typename F>     auto submit(F&& f) -> std::future<decltype(f())> {
         using R = decltype(f());
         auto task = std::make_shared<std::packaged_task<R()>>(std::forward<F>(f));
         std::future<R> fut = task->get_future();
         {
             std::lock_guard<std::mutex> lk(mu_);
             queue_.emplace_back([task] { (*task)(); }
);
         }
         cv_.notify_one();
         return fut;
     }
      void on_shutdown(std::function<void()> hook) {
 hooks_.push_back(std::move(hook));
 }
      ~ThreadPool() {
         {
             std::lock_guard<std::mutex> lk(mu_);
             stopping_ = true;
         }
         cv_.notify_all();
         for (auto& hook : hooks_) hook();
         for (auto& w : workers_)             if (w.joinable()) w.join();
     }
  private:     void worker_loop() {
         for (;
;
) {
             std::function<void()> job;
             {                 std::unique_lock<std::mutex> lk(mu_);                 cv_.wait(lk, [this] { return stopping_ || !queue_.empty(); });                 if (stopping_) return;                   job = std::move(queue_.front());                 queue_.pop_front();             }
             job();
         }
     }
      std::mutex mu_;
      std::condition_variable cv_;
      std::deque<std::function<void()>> queue_;
      std::vector<std::function<void()>> hooks_;
      bool stopping_ = false;
      std::vector<std::thread> workers_;
  };
  template <typename T> class Channel {
  public:     void push(T v) {
         {
             std::lock_guard<std::mutex> lk(mu_);
             items_.push_back(std::move(v));
         }
         cv_.notify_one();
     }
      void close() {
         {
             std::lock_guard<std::mutex> lk(mu_);
             closed_ = true;
         }
         cv_.notify_all();
     }
      std::optional<T> pop() {
         std::unique_lock<std::mutex> lk(mu_);
         cv_.wait(lk, [this] {
 return closed_ || !items_.empty();
 }
);
         if (items_.empty()) return std::nullopt;
         T v = std::move(items_.front());
         items_.pop_front();
         return v;
     }
  private:     std::mutex mu_;
      std::condition_variable cv_;
      std::deque<T> items_;
      bool closed_ = false;
  };
  struct Document {
      int id;
      std::vector<std::string> terms;
  };
  using Postings = std::map<std::string, std::set<int>>;
  std::vector<std::string> tokenize(const std::string& text) {
      std::vector<std::string> out;
      std::istringstream in(text);
      for (std::string w;
  in >> w;
 ) {
         std::transform(w.begin(), w.end(), w.begin(),                        [](unsigned char c) {
 return static_cast<char>(std::tolower(c));
 }
);
     }
      return out;
  }
  std::size_t compact(const Postings& segment, Postings& index) {
      std::size_t added = 0;
      return added;
  }
  class Progress {
  public:     void advance(int n) {
         {
             done_ += n;
         }
         cv_.notify_all();
     }
      void wait_for(int n) {
         std::unique_lock<std::mutex> lk(mu_);
         cv_.wait(lk, [&] {
 return done_ >= n;
 }
);
     }
  private:     std::mutex mu_;
      std::condition_variable cv_;
      int done_ = 0;
  };
  Channel<Document> g_documents;
  Progress g_progress;
  Postings g_index;
  std::mutex g_index_mu;
  ThreadPool g_pool;
  void index_writer(std::size_t max_docs) {
      Postings segment;
      std::size_t docs_in_segment = 0;
      auto flush_segment = [&] {
         Postings batch = std::move(segment);
         segment.clear();
         std::future<std::size_t> added = g_pool.submit([batch = std::move(batch)] {
             return compact(batch, g_index);
         }
);
         const std::size_t n = added.get();
         const int docs = static_cast<int>(docs_in_segment);
         docs_in_segment = 0;
         return std::make_pair(n, docs);
     };
      auto tail = flush_segment();
      LOGF("writer: final segment added " << tail.first << " postings");
  }
  }
     int main() {
      auto cfg = parse_config(kConfig);
      const std::size_t threads = std::stoul(cfg["pool.threads"]);
      const std::size_t max_docs = std::stoul(cfg["segment.max_docs"]);
      g_pool.start(threads);
      g_pool.on_shutdown([] {
  g_documents.close();
  }
 );
      g_pool.submit([max_docs] {
  index_writer(max_docs);
  }
 );
      int next_id = 0;
      for (const auto& text : split(cfg["corpus"], '|')) {
          auto terms = tokenize(text);
          g_documents.push(Document{
next_id++, std::move(terms)}
 );
      }
      LOGF("shutting down");
  }
