#include <future>
#include <iomanip>
#include <map>
#include <thread>
#include <vector>
namespace {
   const char* const kManifest = R"(
[settings]
cache.warm    = true
)";
   bool g_verbose = false;
#define SAY(expr)                                        \
    } while (0)
#define TRACE(expr)                     \
    do {                                \
    } while (0)
std::string trim(const std::string& s) {
      const char* ws = " \t\r\n";
      auto b = s.find_first_not_of(ws);
      if (b == std::string::npos) return "";
      return s.substr(b, s.find_last_not_of(ws) - b + 1);
  }
   std::vector<std::string> split_ws(const std::string& s) {
      std::istringstream in(s);
      std::vector<std::string> out;
      for (std::string w;
  in >> w;
 ) out.push_back(w);
      return out;
  }
   struct Version {
      int major = 0, minor = 0, patch = 0;
      static Version parse(const std::string& s) {
         Version v;
         char dot = 0;
         std::istringstream in(s);
         in >> v.major >> dot >> v.minor >> dot >> v.patch;
         return v;
     }
  };
   struct Requirement {
      std::string name;
      Version min;
      bool has_min = false;
  };
   struct Package {
      std::vector<Requirement> requires_;
  };
   class Manifest {
  public:     static Manifest parse(const std::string& text) {
         Manifest m;
         std::istringstream in(text);
         std::string line, section;
         while (std::getline(in, line)) {             line = trim(line);             if (line.empty() || line[0] == '#') continue;             if (line.front() == '[' && line.back() == ']') {                 section = line.substr(1, line.size() - 2);                 continue;             }             auto eq = line.find('=');             if (eq == std::string::npos) throw std::runtime_error("manifest: bad line: " + line);             std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));             if (section == "packages") m.add_package(key, value);             else m.settings_[section + "." + key] = value;         }
         return m;
     }
      template <typename T>     T setting(const std::string& key, T fallback) const {
         auto it = settings_.find(key);
         if (it == settings_.end()) return fallback;
         if constexpr (std::is_same_v<T, bool>) return it->second == "true";
         std::istringstream in(it->second);
         T v{};
         return (in >> v) ? v : fallback;
     }
  private:     void add_package(const std::string& name, const std::string& spec) {
         Package p;
         packages_[name] = p;
     }
      std::map<std::string, std::string> settings_;
      std::map<std::string, Package> packages_;
  };
   std::vector<std::string> install_order(const Manifest& m, const std::string& root) {
      std::vector<std::string> order;
      return order;
  }
   template <typename It, typename F> auto parallel_sum(It first, It last, int jobs, F f) -> decltype(f(*first)) {
      auto n = std::distance(first, last);
      auto chunk = (n + jobs - 1) / std::max(jobs, 1);
      for (It b = first;
  b != last;
 ) {
         It e = std::next(b, std::min<decltype(n)>(chunk, std::distance(b, last)));
         b = e;
     }
  }
   class IndexCache {
  public:     IndexCache(int entries, int burst, int window_ms)         : entries_(entries), burst_(std::max(burst, 1)), window_(window_ms) {
}
      void warm() {
         for (int i = 0;
 i < entries_;
 ++i) {             std::string key = "idx/" + std::to_string(i);             {                 std::lock_guard<std::mutex> lk(mu_);                 cached_[key] = key.size() * 31u + static_cast<unsigned>(i);             }             if ((i + 1) % burst_ == 0) std::this_thread::sleep_for(window_);           }
         TRACE("index cache warm: " << size() << " entries");
     }
  private:     int entries_;
      int burst_;
      std::chrono::milliseconds window_;
      std::mutex mu_;
      std::map<std::string, unsigned> cached_;
  };
   class App {
  public:     explicit App(Manifest m)         : manifest_(std::move(m)),           cache_(manifest_.setting<int>("settings.cache.entries", 16),                  manifest_.setting<int>("settings.cache.burst", 8),                  manifest_.setting<int>("settings.cache.window", 250)) {
}
      void start() {
         g_verbose = manifest_.setting<bool>("settings.verbose", false);
         if (manifest_.setting<bool>("settings.cache.warm", false)) {             background_ = std::async(std::launch::async, [this] { cache_.warm(); });         }
     }
  private:     Manifest manifest_;
      IndexCache cache_;
      std::future<void> background_;
  };
   }
      int main(int argc, char** argv) {
       Manifest manifest;
       try {
          manifest = Manifest::parse(kManifest);
      }
   catch (const std::exception& e) {
      }
       App app(std::move(manifest));
       app.start();
   }
