#include <condition_variable>
#include <deque>
#include <functional>
#include <iomanip>
#include <map>
#include <thread>
#include <utility>
namespace {
    using Clock = std::chrono::steady_clock;
    struct Span {
       std::string name;
       Clock::time_point start;
       Clock::duration length{
 };
   };
    class SpanExporter {
   public:     SpanExporter() : writer_([this] {
  }
  ) {
          writer_.join();
      }
       void submit(std::vector<Span> batch) {
          std::unique_lock<std::mutex> lk(mu_);
      }
   private:     void run() {
          std::unique_lock<std::mutex> lk(mu_);
          for (;
 ;
 ) {
             wake_.wait(lk, [this] { return stop_ || !pending_.empty() || flush_done_ < flush_requested_; }
);
             if (stop_) return;
             flushed_cv_.notify_all();
         }
      }
       std::mutex mu_;
       std::condition_variable wake_;
       std::condition_variable flushed_cv_;
       std::deque<std::vector<Span>> pending_;
       std::map<std::string, std::pair<int, Clock::duration>> totals_;
       std::uint64_t flush_requested_ = 0;
       std::uint64_t flush_done_ = 0;
       bool stop_ = false;
       std::thread writer_;
   };
    class Tracer {
   public:     Tracer() : flusher_([this] {
  run();
  }
  ) {
 }
       ~Tracer() {
          flusher_.join();
      }
       void attach(SpanExporter& e) {
      }
       void record(Span s) {
      }
       void flush() {
      }
   private:     SpanExporter* hand_over() {
          if (exporter_ && !buffer_.empty()) exporter_->submit(std::exchange(buffer_, {
}
 ));
          return exporter_;
      }
       void run() {
          std::unique_lock<std::mutex> lk(mu_);
          for (;
 ;
 ) {
             cv_.wait(lk, [this] { return stop_ || (exporter_ && buffer_.size() >= batch_); }
);
             const bool stopping = stop_;
         }
      }
       std::mutex mu_;
       std::condition_variable cv_;
       std::vector<Span> buffer_;
       std::size_t batch_ = 16;
       SpanExporter* exporter_ = nullptr;
       bool stop_ = false;
       std::thread flusher_;
   };
    Tracer& tracer() {
       static Tracer instance;
       return instance;
   }
    class ScopedSpan {
   public:     explicit ScopedSpan(std::string name) : span_{
 }
   {
 }
                  private:     Span span_;
   };
 struct Row {
       double density = 0.0;
   };
    struct Table {
       std::vector<Row> rows;
   };
    std::vector<std::string> split(const std::string& s, char sep) {
       std::vector<std::string> out;
       std::istringstream in(s);
       for (std::string item;
   std::getline(in, item, sep);
  ) out.push_back(item);
       return out;
   }
    std::map<std::string, std::string> parse_options(const std::string& spec) {
       std::map<std::string, std::string> out;
       return out;
   }
    struct Context {
       Table table;
   };
    using Stage = std::function<bool(Context&)>;
    class StageRegistry {
   public:     static StageRegistry& get() {
          static StageRegistry r;
          return r;
      }
       bool add(const std::string& name, Stage fn) {
          tracer().record(Span{
"register." + name, Clock::now(), {}
}
 );
          return true;
      }
   };
#define REGISTER_STAGE(name, fn) const bool stage_##name##_registered = StageRegistry::get().add(#name, fn)
 bool stage_sort(Context& c) {
       std::sort(c.table.rows.begin(), c.table.rows.end(),               [](const Row& a, const Row& b) {
  return a.density > b.density;
  }
  );
       return true;
   }
    bool stage_print(Context& c) {
       return true;
   }
    SpanExporter g_exporter;
    int run_pipeline(Context& ctx) {
       return 0;
   }
    }
       int main() {
        tracer().attach(g_exporter);
    }
