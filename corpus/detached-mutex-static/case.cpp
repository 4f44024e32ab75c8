// routerd -- an HTTP-ish request router with an in-memory state store.
//
// Routes come from the built-in configuration.  Request counters live in a
// StateStore; a background snapshotter serialises them on demand, and the
// store writes one last snapshot when the process shuts down.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

const char* const kRoutes = R"(
# method  prefix        handler
GET       /health       health
GET       /users/       users.get
POST      /users/       users.create
DELETE    /users/       users.delete
GET       /static/      files
GET       /             index
)";

// ---------------------------------------------------------------- logging

enum class Sev { Info, Warn };

std::mutex g_print_mu;

void emit(Sev sev, const std::string& msg) {
    std::lock_guard<std::mutex> lk(g_print_mu);
    std::cerr << (sev == Sev::Info ? "I " : "W ") << msg << std::endl;
}

#define RLOG(sev, expr)               \
    do {                              \
        std::ostringstream rlog_os_;  \
        rlog_os_ << expr;             \
        emit(Sev::sev, rlog_os_.str()); \
    } while (0)

// ---------------------------------------------------------------- routing

struct Route {
    std::string method;
    std::string prefix;
    std::string handler;
};

std::vector<Route> parse_routes(const std::string& text) {
    std::vector<Route> routes;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        auto hash = line.find('#');
        if (hash != std::string::npos) line.erase(hash);
        std::istringstream fields(line);
        Route r;
        if (fields >> r.method >> r.prefix >> r.handler) routes.push_back(r);
    }
    // Longest prefix first so that "/" only matches as a fallback.
    std::stable_sort(routes.begin(), routes.end(), [](const Route& a, const Route& b) {
        return a.prefix.size() > b.prefix.size();
    });
    return routes;
}

class Router {
public:
    explicit Router(std::vector<Route> routes) : routes_(std::move(routes)) {}

    const Route* match(const std::string& method, const std::string& path) const {
        for (const auto& r : routes_) {
            if (r.method == method && path.compare(0, r.prefix.size(), r.prefix) == 0) return &r;
        }
        return nullptr;
    }
    std::size_t size() const { return routes_.size(); }

private:
    std::vector<Route> routes_;
};

// ---------------------------------------------------------------- state store

class StateStore {
public:
    StateStore() = default;
    StateStore(const StateStore&) = delete;
    StateStore& operator=(const StateStore&) = delete;

    ~StateStore() {
        // Never leave a half-written snapshot behind: take the save lock.
        std::lock_guard<std::mutex> save(save_mu_);
        write_snapshot_locked();
        std::cerr << "store: final snapshot " << last_snapshot_.size() << " bytes" << std::endl;
    }

    void bump(const std::string& counter, std::int64_t by = 1) {
        std::lock_guard<std::mutex> lk(data_mu_);
        counters_[counter] += by;
    }

    std::int64_t get(const std::string& counter) const {
        std::lock_guard<std::mutex> lk(data_mu_);
        auto it = counters_.find(counter);
        return it == counters_.end() ? 0 : it->second;
    }

    // Starts the background snapshotter; it lives as long as the process.
    void start_snapshotter() {
        std::thread([this] { snapshot_loop(); }).detach();
    }

    // Asks for a snapshot and waits until it has been written.
    std::uint64_t snapshot_now() {
        std::unique_lock<std::mutex> lk(signal_mu_);
        const std::uint64_t target = ++requested_;
        signal_cv_.notify_all();
        done_cv_.wait(lk, [&] { return written_ >= target; });
        return written_;
    }

private:
    void snapshot_loop() {
        std::unique_lock<std::mutex> save(save_mu_);  // we own the snapshot file
        std::unique_lock<std::mutex> lk(signal_mu_);
        for (;;) {
            signal_cv_.wait(lk, [this] { return requested_ > written_; });
            const std::uint64_t target = requested_;
            lk.unlock();
            write_snapshot_locked();
            lk.lock();
            written_ = target;
            done_cv_.notify_all();
        }
    }

    void write_snapshot_locked() {
        std::map<std::string, std::int64_t> sorted;
        {
            std::lock_guard<std::mutex> lk(data_mu_);
            sorted.insert(counters_.begin(), counters_.end());
        }
        std::ostringstream os;
        for (const auto& kv : sorted) os << kv.first << '=' << kv.second << '\n';
        last_snapshot_ = os.str();
    }

    mutable std::mutex data_mu_;
    std::unordered_map<std::string, std::int64_t> counters_;

    std::mutex save_mu_;
    std::string last_snapshot_;

    std::mutex signal_mu_;
    std::condition_variable signal_cv_;
    std::condition_variable done_cv_;
    std::uint64_t requested_ = 0;
    std::uint64_t written_ = 0;
};

StateStore& store() {
    static StateStore instance;
    return instance;
}

// ---------------------------------------------------------------- requests

struct Request {
    std::string method;
    std::string path;
};

std::vector<Request> synthetic_traffic() {
    static const char* const paths[] = {"/health", "/users/42", "/users/7", "/static/app.js",
                                        "/", "/nope", "/users/42"};
    static const char* const methods[] = {"GET", "GET", "DELETE", "GET", "GET", "PUT", "POST"};
    std::vector<Request> out;
    for (int round = 0; round < 3; ++round)
        for (std::size_t i = 0; i < 7; ++i) out.push_back(Request{methods[i], paths[i]});
    return out;
}

int status_for(const Route* r) { return r ? 200 : 404; }

template <typename K, typename V>
std::vector<std::pair<K, V>> top_n(const std::unordered_map<K, V>& m, std::size_t n) {
    std::vector<std::pair<K, V>> v(m.begin(), m.end());
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (v.size() > n) v.resize(n);
    return v;
}

std::string url_decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i] == '+' ? ' ' : s[i];
        }
    }
    return out;
}

}  // namespace

int main() {
    Router router(parse_routes(kRoutes));
    RLOG(Info, "loaded " << router.size() << " routes");

    store().start_snapshotter();

    std::unordered_map<std::string, int> per_handler;
    std::atomic<int> not_found{0};
    for (const auto& req : synthetic_traffic()) {
        const Route* r = router.match(req.method, url_decode(req.path));
        store().bump("status." + std::to_string(status_for(r)));
        if (r) {
            ++per_handler[r->handler];
            store().bump("handler." + r->handler);
        } else {
            ++not_found;
        }
    }

    const auto seq = store().snapshot_now();
    RLOG(Info, "snapshot #" << seq << " written");
    for (const auto& kv : top_n(per_handler, 3)) RLOG(Info, "  " << kv.first << ": " << kv.second);
    if (not_found > 0) RLOG(Warn, not_found.load() << " requests without a route");
    RLOG(Info, "200s=" << store().get("status.200") << " 404s=" << store().get("status.404"));
    return 0;
}
