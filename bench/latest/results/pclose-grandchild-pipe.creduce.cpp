#include <iomanip>
#include <map>
#include <memory>
#include <optional>
#include <vector>
namespace {
     const char* const kConfig = R"(
agent.enabled   = true
agent.command   = { echo "credential agent 2.1"; lease() { sleep 3600; }; lease & echo "lease $!"; echo ready; } 2>&1 | while IFS= read -r l; do echo "agent: $l"; done
)";
#define MLOG(tag, expr)                                            \
    } while (0)
#define MLOG_DEBUG(expr)                       \
    } while (0)
std::string trim(const std::string& s) {
        const char* ws = " \t\r\n";
        auto b = s.find_first_not_of(ws);
        if (b == std::string::npos) return "";
        return s.substr(b, s.find_last_not_of(ws) - b + 1);
    }
     class Config {
    public:     static Config parse(const std::string& text) {
           Config c;
           std::istringstream in(text);
           for (std::string line;
   std::getline(in, line);
  ) {
              auto eq = line.find('=');
              c.kv_[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
          }
           return c;
       }
        std::string str(const std::string& key, const std::string& fallback = "") const {
           auto it = kv_.find(key);
           return it == kv_.end() ? fallback : it->second;
       }
        bool flag(const std::string& key, bool fallback) const {
           auto v = str(key);
           if (v == "true" || v == "yes" || v == "1") return true;
           return fallback;
       }
    private:     std::map<std::string, std::string> kv_;
        int errors_ = 0;
    };
     class Subprocess {
    public:     Subprocess(std::string name, FILE* pipe) : name_(std::move(name)), pipe_(pipe) {
  }
        std::optional<std::string> read_line() {
           char buf[512];
           if (!std::fgets(buf, sizeof buf, pipe_)) return std::nullopt;
           std::string line(buf);
           if (!line.empty() && line.back() == '\n') line.pop_back();
           return line;
       }
        int close() {
           int status = pclose(pipe_);
           return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
       }
    private:     std::string name_;
        FILE* pipe_;
    };
     class ProcessRegistry {
    public:     static ProcessRegistry& instance() {
           static ProcessRegistry registry;
           return registry;
       }
        Subprocess* spawn(const std::string& name, const std::string& command) {
           FILE* pipe = popen(command.c_str(), "r");
           children_.push_back(std::make_unique<Subprocess>(name, pipe));
           if (!reaper_installed_) {
              std::atexit(&ProcessRegistry::reap_at_exit);
          }
           return children_.back().get();
       }
        void reap_all() {
           for (auto& child : children_) {
              int status = child->close();
          }
       }
    private:     static void reap_at_exit() {
   instance().reap_all();
   }
        std::vector<std::unique_ptr<Subprocess>> children_;
        bool reaper_installed_ = false;
    };
     struct AgentInfo {
    };
     std::optional<AgentInfo> start_agent(const Config& cfg) {
        Subprocess* agent = ProcessRegistry::instance().spawn("agent", cfg.str("agent.command"));
        const std::string banner = cfg.str("agent.banner", "ready");
        AgentInfo info;
        while (auto line = agent->read_line()) {
           const std::string prefix = "agent: ";
           std::string text = line->rfind(prefix, 0) == 0 ? line->substr(prefix.size()) : *line;
           if (text == banner) {
              break;
          }
       }
        return info;
    }
     }
        int main() {
         Config cfg = Config::parse(kConfig);
         if (cfg.flag("agent.enabled", false)) {
            auto agent = start_agent(cfg);
        }
     }
