// mirrorctl -- plans a mirror synchronisation run.
//
// Reads its built-in configuration, starts the credential agent the transfer
// step will need, builds a manifest of the local tree, diffs it against the
// remote index and prints the plan.  Child processes started through the
// ProcessRegistry are reaped by an exit handler so that none is left behind as
// a zombie.
#include <sys/wait.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

const char* const kConfig = R"(
# mirrorctl configuration
mirror.name     = docs-eu
mirror.entries  = 96
mirror.seed     = 7
remote.drift    = 9
plan.max_ops    = 40
log.verbose     = false
agent.enabled   = true
agent.banner    = ready
agent.command   = { echo "credential agent 2.1"; lease() { sleep 3600; }; lease & echo "lease $!"; echo ready; } 2>&1 | while IFS= read -r l; do echo "agent: $l"; done
)";

// ---------------------------------------------------------------- logging

bool g_verbose = false;
std::mutex g_log_mu;

#define MLOG(tag, expr)                                            \
    do {                                                           \
        std::ostringstream mlog_os_;                               \
        mlog_os_ << expr;                                          \
        std::lock_guard<std::mutex> mlog_lk_(g_log_mu);            \
        std::cout << "mirrorctl[" tag "] " << mlog_os_.str() << "\n"; \
        std::cout.flush();                                         \
    } while (0)
#define MLOG_DEBUG(expr)                       \
    do {                                       \
        if (g_verbose) MLOG("debug", expr);    \
    } while (0)

// ---------------------------------------------------------------- config

std::string trim(const std::string& s) {
    const char* ws = " \t\r\n";
    auto b = s.find_first_not_of(ws);
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

class Config {
public:
    static Config parse(const std::string& text) {
        Config c;
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);) {
            line = trim(line);
            if (line.empty() || line[0] == '#') continue;
            auto eq = line.find('=');
            if (eq == std::string::npos) {
                ++c.errors_;
                continue;
            }
            c.kv_[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
        }
        return c;
    }

    std::string str(const std::string& key, const std::string& fallback = "") const {
        auto it = kv_.find(key);
        return it == kv_.end() ? fallback : it->second;
    }

    template <typename T>
    T num(const std::string& key, T fallback) const {
        std::istringstream in(str(key));
        T v{};
        return (in >> v) ? v : fallback;
    }

    bool flag(const std::string& key, bool fallback) const {
        auto v = str(key);
        if (v == "true" || v == "yes" || v == "1") return true;
        if (v == "false" || v == "no" || v == "0") return false;
        return fallback;
    }

    int errors() const { return errors_; }
    std::size_t size() const { return kv_.size(); }

private:
    std::map<std::string, std::string> kv_;
    int errors_ = 0;
};

// ---------------------------------------------------------------- child processes

// A child started with popen(); its stdout is read line by line.
class Subprocess {
public:
    Subprocess(std::string name, FILE* pipe) : name_(std::move(name)), pipe_(pipe) {}
    Subprocess(const Subprocess&) = delete;
    Subprocess& operator=(const Subprocess&) = delete;
    ~Subprocess() { close(); }

    const std::string& name() const { return name_; }
    bool open() const { return pipe_ != nullptr; }

    std::optional<std::string> read_line() {
        if (!pipe_) return std::nullopt;
        char buf[512];
        if (!std::fgets(buf, sizeof buf, pipe_)) return std::nullopt;
        std::string line(buf);
        if (!line.empty() && line.back() == '\n') line.pop_back();
        return line;
    }

    // Waits for the child and returns its exit status (-1 if it was not running).
    int close() {
        if (!pipe_) return -1;
        int status = pclose(pipe_);
        pipe_ = nullptr;
        if (status == -1) return -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

private:
    std::string name_;
    FILE* pipe_;
};

class ProcessRegistry {
public:
    static ProcessRegistry& instance() {
        static ProcessRegistry registry;
        return registry;
    }

    Subprocess* spawn(const std::string& name, const std::string& command) {
        FILE* pipe = popen(command.c_str(), "r");
        if (!pipe) return nullptr;
        std::lock_guard<std::mutex> lk(mu_);
        children_.push_back(std::make_unique<Subprocess>(name, pipe));
        if (!reaper_installed_) {
            std::atexit(&ProcessRegistry::reap_at_exit);
            reaper_installed_ = true;
        }
        return children_.back().get();
    }

    // Collects every child still open so that none outlives us as a zombie.
    void reap_all() {
        std::lock_guard<std::mutex> lk(mu_);
        for (auto& child : children_) {
            if (!child->open()) continue;
            int status = child->close();
            MLOG_DEBUG("reaped " << child->name() << " status " << status);
        }
        children_.clear();
    }

private:
    static void reap_at_exit() { instance().reap_all(); }

    std::mutex mu_;
    std::vector<std::unique_ptr<Subprocess>> children_;
    bool reaper_installed_ = false;
};

struct AgentInfo {
    std::string version;
    std::string lease;
    bool ready = false;
};

// Starts the credential agent and reads its banner up to the ready line.  The
// pipe stays open: the transfer step asks the agent for more output later.
std::optional<AgentInfo> start_agent(const Config& cfg) {
    Subprocess* agent = ProcessRegistry::instance().spawn("agent", cfg.str("agent.command"));
    if (!agent) return std::nullopt;
    const std::string banner = cfg.str("agent.banner", "ready");
    AgentInfo info;
    while (auto line = agent->read_line()) {
        MLOG_DEBUG("agent said '" << *line << "'");
        const std::string prefix = "agent: ";
        std::string text = line->rfind(prefix, 0) == 0 ? line->substr(prefix.size()) : *line;
        if (text == banner) {
            info.ready = true;
            break;
        }
        if (text.rfind("lease ", 0) == 0) info.lease = text.substr(6);
        else if (info.version.empty()) info.version = text;
    }
    return info;
}

// ---------------------------------------------------------------- manifest

struct Entry {
    std::string path;
    std::uint64_t size = 0;
    std::uint32_t digest = 0;
};

std::uint32_t crc_like(const std::string& s, std::uint32_t seed) {
    std::uint32_t h = seed ^ 0x9e3779b9u;
    for (unsigned char c : s) h = (h << 5) ^ (h >> 27) ^ c;
    return h;
}

std::vector<Entry> build_manifest(int count, std::uint32_t seed) {
    static const char* const dirs[] = {"guide", "api", "howto", "news", "assets"};
    std::vector<Entry> out;
    std::uint32_t x = seed;
    for (int i = 0; i < count; ++i) {
        x = x * 1664525u + 1013904223u;
        std::ostringstream path;
        path << dirs[x % 5] << "/page-" << std::setw(3) << std::setfill('0') << i << ".html";
        Entry e;
        e.path = path.str();
        e.size = 512 + (x >> 8) % 65536;
        e.digest = crc_like(e.path, x);
        out.push_back(e);
    }
    return out;
}

// The remote index: the same tree with some pages changed, dropped or added.
std::vector<Entry> fake_remote(std::vector<Entry> local, int drift) {
    for (int i = 0; i < drift && !local.empty(); ++i) {
        std::size_t k = static_cast<std::size_t>(i * 7) % local.size();
        if (i % 3 == 0) local[k].digest ^= 0xffu;
        else if (i % 3 == 1) local.erase(local.begin() + static_cast<std::ptrdiff_t>(k));
        else local.push_back(Entry{"stale/page-" + std::to_string(i) + ".html", 1024, 42u});
    }
    return local;
}

enum class Op { Upload, Replace, Remove };

struct Action {
    Op op;
    std::string path;
    std::uint64_t bytes;
};

template <typename Map, typename Key>
const typename Map::mapped_type* find_ptr(const Map& m, const Key& k) {
    auto it = m.find(k);
    return it == m.end() ? nullptr : &it->second;
}

std::vector<Action> plan(const std::vector<Entry>& local, const std::vector<Entry>& remote) {
    std::map<std::string, Entry> by_path;
    for (const auto& e : remote) by_path[e.path] = e;
    std::vector<Action> actions;
    std::set<std::string> seen;
    for (const auto& e : local) {
        seen.insert(e.path);
        const Entry* r = find_ptr(by_path, e.path);
        if (!r) actions.push_back({Op::Upload, e.path, e.size});
        else if (r->digest != e.digest) actions.push_back({Op::Replace, e.path, e.size});
    }
    for (const auto& e : remote)
        if (!seen.count(e.path)) actions.push_back({Op::Remove, e.path, 0});
    std::stable_sort(actions.begin(), actions.end(),
                     [](const Action& a, const Action& b) { return static_cast<int>(a.op) < static_cast<int>(b.op); });
    return actions;
}

const char* op_name(Op op) {
    switch (op) {
        case Op::Upload: return "upload";
        case Op::Replace: return "replace";
        case Op::Remove: return "remove";
    }
    return "?";
}

std::string human_bytes(std::uint64_t n) {
    std::ostringstream os;
    if (n >= 1024 * 1024) os << std::fixed << std::setprecision(1) << static_cast<double>(n) / (1024.0 * 1024.0) << " MiB";
    else if (n >= 1024) os << std::fixed << std::setprecision(1) << static_cast<double>(n) / 1024.0 << " KiB";
    else os << n << " B";
    return os.str();
}

}  // namespace

int main() {
    Config cfg = Config::parse(kConfig);
    g_verbose = cfg.flag("log.verbose", false);
    if (cfg.errors()) MLOG("warn", cfg.errors() << " malformed config lines ignored");
    const std::string mirror = cfg.str("mirror.name", "default");
    MLOG("info", "mirror " << mirror << ": " << cfg.size() << " settings");

    if (cfg.flag("agent.enabled", false)) {
        auto agent = start_agent(cfg);
        if (!agent || !agent->ready) {
            MLOG("error", "credential agent did not start");
            return 2;
        }
        MLOG("info", "agent '" << agent->version << "' ready, lease " << (agent->lease.empty() ? "?" : "held"));
    }

    auto local = build_manifest(cfg.num<int>("mirror.entries", 32), cfg.num<std::uint32_t>("mirror.seed", 1));
    auto remote = fake_remote(local, cfg.num<int>("remote.drift", 4));
    auto actions = plan(local, remote);
    const std::size_t max_ops = cfg.num<std::size_t>("plan.max_ops", 100);
    if (actions.size() > max_ops) {
        MLOG("warn", "plan truncated to " << max_ops << " of " << actions.size() << " operations");
        actions.resize(max_ops);
    }

    std::map<Op, std::pair<int, std::uint64_t>> totals;
    for (const auto& a : actions) {
        auto& t = totals[a.op];
        ++t.first;
        t.second += a.bytes;
        MLOG_DEBUG(op_name(a.op) << " " << a.path);
    }
    for (const auto& [op, t] : totals)
        MLOG("info", std::setw(8) << op_name(op) << ": " << t.first << " files, " << human_bytes(t.second));
    MLOG("info", "plan for " << mirror << " ready: " << actions.size() << " operations");
    return 0;
}
