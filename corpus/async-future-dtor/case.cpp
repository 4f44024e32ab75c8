// pkgplan -- computes an install plan for a set of (built-in) packages.
//
// Reads the manifest, resolves dependencies into an install order, checks
// version constraints, estimates download sizes on a couple of threads and
// prints the plan.  While it works, the index cache is warmed in the
// background so that the next invocation starts faster.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>

namespace {

const char* const kManifest = R"(
# pkgplan manifest
[settings]
jobs          = 2
verbose       = false
cache.warm    = true
cache.entries = 40
cache.burst   = 10
cache.window  = 400

[packages]
app      = 2.4.1 : libnet>=1.2 libjson>=3.0 liblog
libnet   = 1.3.0 : libssl>=1.1 liblog
libjson  = 3.1.2 :
libssl   = 1.1.9 : libz
liblog   = 0.9.4 :
libz     = 1.2.13 :
)";

// ---------------------------------------------------------------- output

std::mutex g_out_mu;
bool g_verbose = false;

#define SAY(expr)                                        \
    do {                                                 \
        std::ostringstream say_os_;                      \
        say_os_ << expr;                                 \
        std::lock_guard<std::mutex> say_lk_(g_out_mu);   \
        std::cout << say_os_.str() << '\n';              \
    } while (0)
#define TRACE(expr)                     \
    do {                                \
        if (g_verbose) SAY("  . " << expr); \
    } while (0)

// ---------------------------------------------------------------- helpers

std::string trim(const std::string& s) {
    const char* ws = " \t\r\n";
    auto b = s.find_first_not_of(ws);
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::vector<std::string> split_ws(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
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
    bool operator<(const Version& o) const {
        return std::tie(major, minor, patch) < std::tie(o.major, o.minor, o.patch);
    }
    std::string str() const {
        return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
    }
};

struct Requirement {
    std::string name;
    Version min;
    bool has_min = false;
};

struct Package {
    std::string name;
    Version version;
    std::vector<Requirement> requires_;
};

// ---------------------------------------------------------------- manifest

class Manifest {
public:
    static Manifest parse(const std::string& text) {
        Manifest m;
        std::istringstream in(text);
        std::string line, section;
        while (std::getline(in, line)) {
            line = trim(line);
            if (line.empty() || line[0] == '#') continue;
            if (line.front() == '[' && line.back() == ']') {
                section = line.substr(1, line.size() - 2);
                continue;
            }
            auto eq = line.find('=');
            if (eq == std::string::npos) throw std::runtime_error("manifest: bad line: " + line);
            std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
            if (section == "packages") m.add_package(key, value);
            else m.settings_[section + "." + key] = value;
        }
        return m;
    }

    template <typename T>
    T setting(const std::string& key, T fallback) const {
        auto it = settings_.find(key);
        if (it == settings_.end()) return fallback;
        if constexpr (std::is_same_v<T, bool>) return it->second == "true";
        std::istringstream in(it->second);
        T v{};
        return (in >> v) ? v : fallback;
    }

    const std::map<std::string, Package>& packages() const { return packages_; }

private:
    void add_package(const std::string& name, const std::string& spec) {
        Package p;
        p.name = name;
        auto colon = spec.find(':');
        p.version = Version::parse(trim(spec.substr(0, colon)));
        if (colon != std::string::npos) {
            for (const auto& word : split_ws(spec.substr(colon + 1))) {
                Requirement r;
                auto ge = word.find(">=");
                r.name = word.substr(0, ge);
                if (ge != std::string::npos) {
                    r.min = Version::parse(word.substr(ge + 2));
                    r.has_min = true;
                }
                p.requires_.push_back(r);
            }
        }
        packages_[name] = p;
    }

    std::map<std::string, std::string> settings_;
    std::map<std::string, Package> packages_;
};

// ---------------------------------------------------------------- resolver

std::vector<std::string> install_order(const Manifest& m, const std::string& root) {
    std::vector<std::string> order;
    std::set<std::string> done, visiting;
    std::function<void(const std::string&)> visit = [&](const std::string& name) {
        if (done.count(name)) return;
        if (!visiting.insert(name).second) throw std::runtime_error("dependency cycle at " + name);
        auto it = m.packages().find(name);
        if (it == m.packages().end()) throw std::runtime_error("unknown package " + name);
        for (const auto& r : it->second.requires_) visit(r.name);
        visiting.erase(name);
        done.insert(name);
        order.push_back(name);
    };
    visit(root);
    return order;
}

std::vector<std::string> check_constraints(const Manifest& m) {
    std::vector<std::string> problems;
    for (const auto& kv : m.packages()) {
        for (const auto& r : kv.second.requires_) {
            auto dep = m.packages().find(r.name);
            if (dep == m.packages().end()) continue;
            if (r.has_min && dep->second.version < r.min)
                problems.push_back(kv.first + " needs " + r.name + ">=" + r.min.str() + ", have " +
                                   dep->second.version.str());
        }
    }
    return problems;
}

// ---------------------------------------------------------------- sizes

std::uint64_t fake_size(const Package& p) {
    std::uint64_t h = 1469598103934665603ull;
    for (char c : p.name + p.version.str()) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return 40000 + h % 900000;
}

template <typename It, typename F>
auto parallel_sum(It first, It last, int jobs, F f) -> decltype(f(*first)) {
    using R = decltype(f(*first));
    std::vector<std::future<R>> parts;
    auto n = std::distance(first, last);
    auto chunk = (n + jobs - 1) / std::max(jobs, 1);
    for (It b = first; b != last;) {
        It e = std::next(b, std::min<decltype(n)>(chunk, std::distance(b, last)));
        parts.push_back(std::async(std::launch::async, [b, e, &f] {
            R acc{};
            for (It i = b; i != e; ++i) acc += f(*i);
            return acc;
        }));
        b = e;
    }
    R total{};
    for (auto& p : parts) total += p.get();
    return total;
}

std::string human(std::uint64_t bytes) {
    std::ostringstream os;
    os << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / 1024.0 << " KiB";
    return os.str();
}

// ---------------------------------------------------------------- index cache

// A local index cache.  Entries are "fetched" from the in-memory mirror in
// bursts, with a pause between bursts, so that a real mirror would not
// throttle us (it allows `burst` requests per `window_ms`).
class IndexCache {
public:
    IndexCache(int entries, int burst, int window_ms)
        : entries_(entries), burst_(std::max(burst, 1)), window_(window_ms) {}

    void warm() {
        for (int i = 0; i < entries_; ++i) {
            std::string key = "idx/" + std::to_string(i);
            {
                std::lock_guard<std::mutex> lk(mu_);
                cached_[key] = key.size() * 31u + static_cast<unsigned>(i);
            }
            if ((i + 1) % burst_ == 0) std::this_thread::sleep_for(window_);  // rate limit
        }
        TRACE("index cache warm: " << size() << " entries");
    }

    std::size_t size() {
        std::lock_guard<std::mutex> lk(mu_);
        return cached_.size();
    }

private:
    int entries_;
    int burst_;
    std::chrono::milliseconds window_;
    std::mutex mu_;
    std::map<std::string, unsigned> cached_;
};

// ---------------------------------------------------------------- app

class App {
public:
    explicit App(Manifest m)
        : manifest_(std::move(m)),
          cache_(manifest_.setting<int>("settings.cache.entries", 16),
                 manifest_.setting<int>("settings.cache.burst", 8),
                 manifest_.setting<int>("settings.cache.window", 250)) {}

    void start() {
        g_verbose = manifest_.setting<bool>("settings.verbose", false);
        if (manifest_.setting<bool>("settings.cache.warm", false)) {
            // Runs in the background; nobody needs the result in this run.
            background_ = std::async(std::launch::async, [this] { cache_.warm(); });
        }
    }

    int plan(const std::string& root) {
        auto problems = check_constraints(manifest_);
        for (const auto& p : problems) SAY("conflict: " << p);
        if (!problems.empty()) return 1;

        auto order = install_order(manifest_, root);
        SAY("install order for " << root << ":");
        int step = 0;
        for (const auto& name : order) {
            const Package& p = manifest_.packages().at(name);
            SAY(std::setw(3) << ++step << "  " << std::left << std::setw(8) << name << std::right << " "
                             << p.version.str());
            TRACE(p.requires_.size() << " requirements");
        }
        const int jobs = manifest_.setting<int>("settings.jobs", 1);
        auto total = parallel_sum(order.begin(), order.end(), jobs, [this](const std::string& name) {
            return fake_size(manifest_.packages().at(name));
        });
        SAY("download size: " << human(total) << " (" << order.size() << " packages)");
        return 0;
    }

private:
    Manifest manifest_;
    IndexCache cache_;
    std::future<void> background_;
};

}  // namespace

int main(int argc, char** argv) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::string root = argc > 1 ? argv[1] : "app";
    Manifest manifest;
    try {
        manifest = Manifest::parse(kManifest);
    } catch (const std::exception& e) {
        SAY("pkgplan: " << e.what());
        return 2;
    }

    App app(std::move(manifest));
    app.start();
    int rc = 0;
    try {
        rc = app.plan(root);
    } catch (const std::exception& e) {
        SAY("pkgplan: " << e.what());
        rc = 2;
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    SAY("planned in " << ms.count() << " ms");
    return rc;
}
