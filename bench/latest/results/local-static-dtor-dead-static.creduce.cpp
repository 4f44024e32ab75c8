#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <thread>
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
 }
       ~SpanExporter() {
          writer_.join();
      }
       void flush() {
          std::unique_lock<std::mutex> lk(mu_);
          const std::uint64_t ticket = ++flush_requested_;
          flushed_cv_.wait(lk, [&] {
 return flush_done_ >= ticket;
 }
 );
      }
   private:     void run() {
          std::unique_lock<std::mutex> lk(mu_);
          for (;
 ;
 ) {
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
          return exporter_;
      }
       void run() {
          std::unique_lock<std::mutex> lk(mu_);
          for (;
 ;
 ) {
             cv_.wait(lk, [this] { return stop_ || (exporter_ && buffer_.size() >= batch_); }
);
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
    struct Context {
   };
    using Stage = std::function<bool(Context&)>;
    class StageRegistry {
   public:     static StageRegistry& get() {
          static StageRegistry r;
          return r;
      }
       bool add(const std::string& name, Stage fn) {
          tracer().record(Span{
}
 );
          return true;
      }
   };
#define REGISTER_STAGE(name, fn) const bool stage_##name##_registered = StageRegistry::get().add(#name, fn)
bool stage_parse(Context& c) {
       return true;
   }
    REGISTER_STAGE(parse, stage_parse);
    }
       int main() {
    }
