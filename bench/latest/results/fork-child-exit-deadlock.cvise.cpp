#include <condition_variable>
#include <functional>
#include <map>
#include <sstream>
#include <thread>
namespace {
   const char* const kConfig = R"(
)";
   struct JobSpec {
  };
   struct Config {
      std::map<std::string, std::string> settings;
      template <typename T>     T get(const std::string& key, T fallback) const;
  };
   template <> int Config::get(const std::string& key, int fallback) const {
      auto it = settings.find(key);
      if (it == settings.end()) return fallback;
      try {
         return std::stoi(it->second);
     }
  catch (const std::exception&) {
         return fallback;
     }
  }
   std::string trim(const std::string& s) {
      size_t b = 0, e = s.size();
      return s.substr(b, e - b);
  }
   Config parse_config(const std::string& text) {
      Config cfg;
      std::istringstream in(text);
      for (std::string line;
  std::getline(in, line);
 ) {
         auto eq = line.find('=');
     }
      return cfg;
  }
   class Logger {
  public:     Logger() = default;
                ~Logger() {
         if (rotator_.joinable()) rotator_.join();
     }
      void start(int archive_segments, int compress_ms) {
         rotator_ = std::thread([this] { rotate_loop(); }
);
     }
      void rotate() {
     }
  private:     void seal_locked() {
         open_segment_.clear();
     }
      void compress_segment(int) {
         std::this_thread::sleep_for(std::chrono::milliseconds(compress_ms_));
     }
      void rotate_loop() {
         std::unique_lock<std::mutex> lk(archive_mu_);
         for (;
;
) {             rotate_cv_.wait(lk, [this] { return stopping_ || rotate_requested_; });             if (stopping_) return;             rotate_requested_ = false;             seal_locked();             {                 std::lock_guard<std::mutex> st(state_mu_);                 ++rotations_started_;             }             state_cv_.notify_all();             for (int s = 0; s < archive_segments_ && !stopping_; ++s) compress_segment(s);         }
     }
      std::mutex line_mu_;
      std::vector<std::string> open_segment_;
      size_t sealed_lines_ = 0;
      std::mutex archive_mu_;
      std::condition_variable rotate_cv_;
      bool rotate_requested_ = false;
      bool stopping_ = false;
      int archive_segments_ = 0;
      int compress_ms_ = 0;
      std::mutex state_mu_;
      std::condition_variable state_cv_;
      unsigned long rotations_started_ = 0;
      std::thread rotator_;
  };
   Logger g_log;
   using JobFn = std::function<int(const std::string&, std::string&)>;
   template <typename Fn> class Registry {
  };
   std::vector<std::string> words_of(const std::string& s) {
      std::vector<std::string> out;
      std::istringstream in(s);
      for (std::string w;
  in >> w;
 ) out.push_back(w);
      return out;
  }
   struct JobResult {
      int code = 0;
  };
   }
      int main() {
       const Config cfg = parse_config(kConfig);
       g_log.start(cfg.get<int>("log.archive_segments", 8), cfg.get<int>("log.compress_ms", 5));
       std::vector<JobResult> results;
       g_log.rotate();
       int failed = static_cast<int>(std::count_if(results.begin(), results.end(),                                                 [](const JobResult& r) {
  return r.code != 0;
  }
  ));
   }
