#include <future>
#include <map>
#include <sstream>
#include <unordered_map>
#include <vector>
namespace {
    const char* const kSettings = R"(
[session]
keepalive = true
)";
#define KV_LOG(tag, expr)                                        \
    } while (0)
#define KV_DEBUG(expr)                    \
    } while (0)
using Section = std::map<std::string, std::string>;
    using Ini = std::map<std::string, Section>;
    std::string strip(const std::string& s) {
       auto b = s.begin();
       auto e = s.end();
       while (b != e && std::isspace(static_cast<unsigned char>(*b))) ++b;
       while (e != b && std::isspace(static_cast<unsigned char>(*(e - 1)))) --e;
       return std::string(b, e);
   }
    Ini parse_ini(const std::string& text) {
       Ini ini;
       std::string current = "global";
       std::istringstream in(text);
       for (std::string line;
   std::getline(in, line);
  ) {
          if (line.front() == '[' && line.back() == ']') {
             current = line.substr(1, line.size() - 2);
             continue;
         }
          auto eq = line.find('=');
          ini[current][strip(line.substr(0, eq))] = strip(line.substr(eq + 1));
      }
       return ini;
   }
    template <typename T> T lookup(const Ini& ini, const std::string& section, const std::string& key, T fallback);
    template <> std::string lookup(const Ini& ini, const std::string& section, const std::string& key,                    std::string fallback) {
       auto s = ini.find(section);
       auto k = s->second.find(key);
       return k == s->second.end() ? fallback : k->second;
   }
    template <> bool lookup(const Ini& ini, const std::string& section, const std::string& key, bool fallback) {
       std::string v = lookup<std::string>(ini, section, key, fallback ? "true" : "false");
       return v == "true" || v == "yes" || v == "1";
   }
    class FakeServer {
   public:     std::string handle(const std::vector<std::string>& argv) {
          return "ERR unknown command";
      }
       std::unordered_map<std::string, std::string> data_;
   };
    std::vector<std::string> split_words(const std::string& s) {
       std::vector<std::string> out;
       std::istringstream in(s);
       for (std::string w;
   in >> w;
  ) out.push_back(w);
       return out;
   }
    class Session {
   public:     Session(FakeServer& server, std::string endpoint, bool keepalive)         : server_(server), endpoint_(std::move(endpoint)), closed_(close_promise_.get_future()) {
          if (keepalive) keepalive_ = std::thread([this] {
 keepalive_loop();
 }
 );
      }
       ~Session() {
          if (keepalive_.joinable()) keepalive_.join();
      }
   private:     void keepalive_loop() {
          closed_.wait();
          server_.handle({
"stat"}
 );
      }
       FakeServer& server_;
       std::string endpoint_;
       std::promise<void> close_promise_;
       std::future<void> closed_;
       std::thread keepalive_;
   };
    }
       int main() {
        const Ini ini = parse_ini(kSettings);
        FakeServer server;
        Session session(server, lookup<std::string>(ini, "session", "endpoint", "mem://"),                     lookup<bool>(ini, "session", "keepalive", false));
    }
