#include <future>
#include <iomanip>
#include <map>
#include <thread>
#include <vector>
namespace {
    const char* const kSettings = R"(
progress.enabled    = yes
)";
#define FS_LOG(level, expr)                                   \
    } while (0)
std::string trim(std::string s) {
       while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
       size_t b = 0;
       while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
       return s.substr(b);
   }
    class Settings {
   public:     explicit Settings(const std::string& text) {
          std::istringstream in(text);
          for (std::string line;
  std::getline(in, line);
 ) {
             auto eq = line.find('=');
             if (eq == std::string::npos) continue;
             values_[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
         }
      }
       std::string str(const std::string& key, const std::string& fallback) const {
          auto it = values_.find(key);
          return it == values_.end() ? fallback : it->second;
      }
       long num(const std::string& key, long fallback) const {
          try {
             return std::stol(str(key, std::to_string(fallback)));
         }
  catch (const std::exception&) {
             return fallback;
         }
      }
       bool flag(const std::string& key, bool fallback) const {
          std::string v = str(key, fallback ? "yes" : "no");
          return v == "yes" || v == "true" || v == "on";
      }
   private:     std::map<std::string, std::string> values_;
   };
    struct Item {
   };
    struct Counters {
   };
    class ProgressReporter {
   public:     ProgressReporter(const Counters& counters, std::chrono::milliseconds interval, bool enabled)         : counters_(counters), interval_(interval) {
          if (enabled) thread_ = std::thread([this] {
 run();
 }
 );
      }
       ~ProgressReporter() {
          stop_ = true;
          if (thread_.joinable()) thread_.join();
      }
   private:     void run() {
          do {
             report();
             std::this_thread::sleep_for(interval_);
         }
  while (!stop_);
      }
       void report() const {
      }
       const Counters& counters_;
       std::chrono::milliseconds interval_;
       std::atomic<bool> stop_{
 false};
       std::thread thread_;
   };
    template <typename Range, typename Less> void print_table(const std::string& title, const Range& rows, Less less, size_t limit) {
   }
    }
       int main() {
        const Settings settings(kSettings);
        Counters counters;
        ProgressReporter progress(counters, std::chrono::milliseconds(settings.num("progress.interval_ms", 500)),                               settings.flag("progress.enabled", false));
        std::vector<Item> digest;
        print_table(settings.str("digest.title", "Digest"), digest,                 [](const Item& a, const Item& b) {
   }
   ,                 static_cast<size_t>(settings.num("digest.max_items", 10)));
    }
