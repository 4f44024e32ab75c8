// kvcli -- command-line client for a (simulated) key/value service.
//
// Opens a session against an in-process fake server, replays a short script
// of commands taken from the built-in configuration and prints a summary.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

const char* const kSettings = R"(
[client]
name = kvcli
verbose = false
retries = 2

[session]
endpoint = mem://local
keepalive = true

[script]
1 = put user:1 alice
2 = put user:2 bob
3 = get user:1
4 = del user:2
5 = get user:2
6 = put user:3 carol
7 = stat
)";

// ---------------------------------------------------------------- logging

std::mutex g_log_mutex;
bool g_verbose = false;

#define KV_LOG(tag, expr)                                        \
    do {                                                         \
        std::ostringstream kv_log_os_;                           \
        kv_log_os_ << expr;                                      \
        std::lock_guard<std::mutex> kv_log_lk_(g_log_mutex);     \
        std::cout << "[" tag "] " << kv_log_os_.str() << std::endl; \
    } while (0)
#define KV_DEBUG(expr)                    \
    do {                                  \
        if (g_verbose) KV_LOG("debug", expr); \
    } while (0)

// ---------------------------------------------------------------- ini parsing

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
    for (std::string line; std::getline(in, line);) {
        line = strip(line);
        if (line.empty() || line[0] == ';' || line[0] == '#') continue;
        if (line.front() == '[' && line.back() == ']') {
            current = line.substr(1, line.size() - 2);
            continue;
        }
        auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        ini[current][strip(line.substr(0, eq))] = strip(line.substr(eq + 1));
    }
    return ini;
}

template <typename T>
T lookup(const Ini& ini, const std::string& section, const std::string& key, T fallback);

template <>
std::string lookup(const Ini& ini, const std::string& section, const std::string& key,
                   std::string fallback) {
    auto s = ini.find(section);
    if (s == ini.end()) return fallback;
    auto k = s->second.find(key);
    return k == s->second.end() ? fallback : k->second;
}

template <>
bool lookup(const Ini& ini, const std::string& section, const std::string& key, bool fallback) {
    std::string v = lookup<std::string>(ini, section, key, fallback ? "true" : "false");
    return v == "true" || v == "yes" || v == "1";
}

template <>
int lookup(const Ini& ini, const std::string& section, const std::string& key, int fallback) {
    std::string v = lookup<std::string>(ini, section, key, "");
    try {
        return v.empty() ? fallback : std::stoi(v);
    } catch (const std::exception&) {
        return fallback;
    }
}

// ---------------------------------------------------------------- fake server

class FakeServer {
public:
    std::string handle(const std::vector<std::string>& argv) {
        std::lock_guard<std::mutex> lk(mu_);
        ++requests_;
        if (argv.empty()) return "ERR empty";
        const std::string& op = argv[0];
        if (op == "put" && argv.size() == 3) {
            data_[argv[1]] = argv[2];
            return "OK";
        }
        if (op == "get" && argv.size() == 2) {
            auto it = data_.find(argv[1]);
            return it == data_.end() ? "NIL" : it->second;
        }
        if (op == "del" && argv.size() == 2) return data_.erase(argv[1]) ? "OK" : "NIL";
        if (op == "stat") return "keys=" + std::to_string(data_.size());
        return "ERR unknown command";
    }
    int requests() const {
        std::lock_guard<std::mutex> lk(mu_);
        return requests_;
    }

private:
    mutable std::mutex mu_;
    std::unordered_map<std::string, std::string> data_;
    int requests_ = 0;
};

std::vector<std::string> split_words(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

// ---------------------------------------------------------------- session

// A session owns a keep-alive thread that stays up for as long as the
// session is open and says goodbye to the server once it is closed.
class Session {
public:
    Session(FakeServer& server, std::string endpoint, bool keepalive)
        : server_(server), endpoint_(std::move(endpoint)), closed_(close_promise_.get_future()) {
        if (keepalive) keepalive_ = std::thread([this] { keepalive_loop(); });
        KV_LOG("session", "opened " << endpoint_);
    }

    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    ~Session() {
        if (keepalive_.joinable()) keepalive_.join();
    }

    std::optional<std::string> call(const std::string& line) {
        if (closing_.load()) return std::nullopt;
        auto argv = split_words(line);
        ++calls_;
        std::string reply = server_.handle(argv);
        KV_DEBUG(line << " -> " << reply);
        return reply;
    }

    void close() {
        if (closing_.exchange(true)) return;
        close_promise_.set_value();
    }

    int calls() const { return calls_; }

private:
    void keepalive_loop() {
        KV_DEBUG("keepalive thread up for " << endpoint_);
        closed_.wait();
        server_.handle({"stat"});
        KV_DEBUG("keepalive: said goodbye");
    }

    FakeServer& server_;
    std::string endpoint_;
    std::promise<void> close_promise_;
    std::future<void> closed_;
    std::atomic<bool> closing_{false};
    int calls_ = 0;
    std::thread keepalive_;
};

// ---------------------------------------------------------------- helpers

struct ScriptLine {
    int order;
    std::string command;
};

std::vector<ScriptLine> load_script(const Ini& ini) {
    std::vector<ScriptLine> lines;
    auto it = ini.find("script");
    if (it == ini.end()) return lines;
    for (const auto& kv : it->second) {
        try {
            lines.push_back(ScriptLine{std::stoi(kv.first), kv.second});
        } catch (const std::exception&) {
            KV_LOG("warn", "bad script key " << kv.first);
        }
    }
    std::sort(lines.begin(), lines.end(),
              [](const ScriptLine& a, const ScriptLine& b) { return a.order < b.order; });
    return lines;
}

template <typename Map>
std::string histogram(const Map& m) {
    std::ostringstream os;
    bool first = true;
    for (const auto& kv : m) {
        os << (first ? "" : " ") << kv.first << "=" << kv.second;
        first = false;
    }
    return os.str();
}

std::string to_upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

}  // namespace

int main() {
    const Ini ini = parse_ini(kSettings);
    g_verbose = lookup<bool>(ini, "client", "verbose", false);
    const int retries = lookup<int>(ini, "client", "retries", 1);
    const auto name = lookup<std::string>(ini, "client", "name", "kv");
    KV_LOG("main", name << " starting, retries=" << retries);

    FakeServer server;
    Session session(server, lookup<std::string>(ini, "session", "endpoint", "mem://"),
                    lookup<bool>(ini, "session", "keepalive", false));

    std::map<std::string, int> replies;
    for (const auto& line : load_script(ini)) {
        std::optional<std::string> reply;
        for (int attempt = 0; attempt <= retries && !reply; ++attempt) reply = session.call(line.command);
        if (!reply) {
            KV_LOG("error", "session closed while running script");
            session.close();
            return 1;
        }
        const std::string kind = split_words(line.command).front();
        ++replies[to_upper(kind)];
        KV_LOG("reply", line.order << ": " << line.command << " => " << *reply);
    }

    KV_LOG("main", "commands by type: " << histogram(replies));
    KV_LOG("main", session.calls() << " calls, server saw " << server.requests() << " requests");
    KV_LOG("main", "done");
    return 0;
}
