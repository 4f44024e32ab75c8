#include <sys/wait.h>
#include <condition_variable>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>
namespace {
   const char* const kConfig = R"(
job     plugin-b    wordcount   yes        alpha beta alpha gamma
)";
   struct JobSpec {
      std::string name;
      std::string kind;
      bool isolate = false;
      std::string argument;
  };
   struct Config {
      std::map<std::string, std::string> settings;
      std::vector<JobSpec> jobs;
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
         line = trim(line.substr(0, line.find('#')));
         if (line.empty()) continue;
         if (line.compare(0, 4, "job ") == 0) {
             std::istringstream fields(line.substr(4));
             JobSpec job;
             std::string isolate;
             fields >> job.name >> job.kind >> isolate;
         }
         auto eq = line.find('=');
         if (eq != std::string::npos) cfg.settings[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
     }
      return cfg;
  }
   class Logger {
  public:     Logger() = default;
      ~Logger() {
         {
             std::lock_guard<std::mutex> lk(archive_mu_);
               seal_locked();
             stopping_ = true;
         }
         rotate_cv_.notify_all();
         if (rotator_.joinable()) rotator_.join();
     }
      void start(int archive_segments, int compress_ms) {
         rotator_ = std::thread([this] {
 rotate_loop();
 }
);
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
) {
             for (int s = 0;
 s < archive_segments_ && !stopping_;
 ++s) compress_segment(s);
         }
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
      unsigned long rotations_started_ = 0;
      std::thread rotator_;
  };
   Logger g_log;
#define JLOG(tag, expr)                          \
    do {                                         \
    } while (0)
class ChildReaper {
  public:     ~ChildReaper() {
         if (getpid() != owner_) return;
           for (const auto& child : children_) {
             int status = 0;
         }
     }
      void track(pid_t pid, const std::string& name) {
 children_.emplace_back(pid, name);
 }
      size_t size() const {
 return children_.size();
 }
  private:     pid_t owner_ = getpid();
      std::vector<std::pair<pid_t, std::string>> children_;
  };
   ChildReaper g_children;
   using JobFn = std::function<int(const std::string&, std::string&)>;
   template <typename Fn> class Registry {
  public:     void add(const std::string& kind, Fn fn) {
 table_[kind] = std::move(fn);
 }
      const Fn* find(const std::string& kind) const {
         auto it = table_.find(kind);
         return it == table_.end() ? nullptr : &it->second;
     }
  private:     std::map<std::string, Fn> table_;
  };
   std::vector<std::string> words_of(const std::string& s) {
      std::vector<std::string> out;
      std::istringstream in(s);
      for (std::string w;
  in >> w;
 ) out.push_back(w);
      return out;
  }
   int job_wordcount(const std::string& arg, std::string& out) {
      std::map<std::string, int> counts;
      for (const auto& w : words_of(arg)) ++counts[w];
      return counts.empty() ? 1 : 0;
  }
   struct JobResult {
      int code = 0;
  };
   pid_t spawn_isolated(const JobSpec& spec, const JobFn& fn) {
      pid_t pid = fork();
      return pid;
  }
   }
      int main() {
       const Config cfg = parse_config(kConfig);
       g_log.start(cfg.get<int>("log.archive_segments", 8), cfg.get<int>("log.compress_ms", 5));
       Registry<JobFn> registry;
       registry.add("wordcount", job_wordcount);
       std::vector<JobResult> results;
       for (const auto& spec : cfg.jobs) {
          const JobFn* fn = registry.find(spec.kind);
      }
       int failed = static_cast<int>(std::count_if(results.begin(), results.end(),                                                 [](const JobResult& r) {
  return r.code != 0;
  }
  ));
   }
