// imgstat -- computes statistics over a (synthetic) set of image tiles.
//
// The tool splits the work over a few threads, prints a report and records
// usage telemetry that is uploaded when the process exits.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <numeric>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

const char* const kDefaults =
    "tool.name=imgstat;"
    "tiles=64;"
    "tile.width=32;"
    "tile.height=32;"
    "threads=4;"
    "telemetry.enabled=true;"
    "telemetry.endpoint=;"
    "telemetry.retry.attempts=4;"
    "telemetry.retry.initial_ms=120;"
    "report.top=3;";

// ---------------------------------------------------------------- options

class Options {
public:
    explicit Options(const std::string& spec) {
        std::size_t pos = 0;
        while (pos < spec.size()) {
            std::size_t end = spec.find(';', pos);
            if (end == std::string::npos) end = spec.size();
            std::string item = spec.substr(pos, end - pos);
            auto eq = item.find('=');
            if (eq != std::string::npos) kv_[item.substr(0, eq)] = item.substr(eq + 1);
            pos = end + 1;
        }
    }

    std::string str(const std::string& k, const std::string& def = "") const {
        auto it = kv_.find(k);
        return it == kv_.end() ? def : it->second;
    }

    template <typename Int>
    Int integer(const std::string& k, Int def) const {
        std::string v = str(k);
        if (v.empty()) return def;
        std::istringstream in(v);
        Int out{};
        return (in >> out) ? out : def;
    }

    bool flag(const std::string& k, bool def) const {
        std::string v = str(k);
        if (v.empty()) return def;
        return v == "true" || v == "1" || v == "on";
    }

private:
    std::map<std::string, std::string> kv_;
};

// ---------------------------------------------------------------- output

std::mutex g_out_mu;

#define OUT(expr)                                     \
    do {                                              \
        std::lock_guard<std::mutex> out_lk_(g_out_mu); \
        std::cout << expr << '\n';                    \
    } while (0)

// ---------------------------------------------------------------- telemetry

struct Event {
    std::string name;
    std::int64_t value;
};

class Telemetry {
public:
    void configure(const Options& o) {
        enabled_ = o.flag("telemetry.enabled", false);
        endpoint_ = o.str("telemetry.endpoint");
        attempts_ = o.integer<int>("telemetry.retry.attempts", 3);
        initial_backoff_ = std::chrono::milliseconds(o.integer<int>("telemetry.retry.initial_ms", 50));
    }

    void add(const std::string& name, std::int64_t value) {
        if (!enabled_) return;
        std::lock_guard<std::mutex> lk(mu_);
        events_.push_back(Event{name, value});
    }

    // Uploads buffered events; a failed upload is retried with exponential
    // back-off so that a flaky network does not lose the data.
    void flush() {
        std::lock_guard<std::mutex> lk(mu_);
        if (events_.empty()) return;
        auto backoff = initial_backoff_;
        for (int attempt = 1; attempt <= attempts_; ++attempt) {
            if (upload(events_)) {
                events_.clear();
                return;
            }
            std::this_thread::sleep_for(backoff);
            backoff *= 2;
        }
        std::cerr << "telemetry: dropped " << events_.size() << " events" << std::endl;
        events_.clear();
    }

private:
    bool upload(const std::vector<Event>& batch) const {
        if (endpoint_.empty()) return false;  // nowhere to send to
        std::ostringstream body;
        for (const auto& e : batch) body << e.name << ':' << e.value << '\n';
        return body.str().size() < 65536;
    }

    std::mutex mu_;
    std::vector<Event> events_;
    bool enabled_ = false;
    std::string endpoint_;
    int attempts_ = 3;
    std::chrono::milliseconds initial_backoff_{50};
};

Telemetry g_telemetry;

void flush_telemetry_at_exit() { g_telemetry.flush(); }

// ---------------------------------------------------------------- tiles

using Histogram = std::array<std::uint32_t, 16>;

struct Tile {
    int index;
    std::vector<std::uint8_t> pixels;
};

Tile make_tile(int index, int w, int h) {
    Tile t{index, std::vector<std::uint8_t>(static_cast<std::size_t>(w * h))};
    std::uint32_t state = 2463534242u ^ static_cast<std::uint32_t>(index * 7919);
    for (auto& p : t.pixels) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        p = static_cast<std::uint8_t>((state & 0xff) / (1 + index % 4));
    }
    return t;
}

struct TileStats {
    int index = 0;
    double mean = 0.0;
    std::uint8_t max = 0;
    Histogram hist{};
};

TileStats analyse(const Tile& t) {
    TileStats s;
    s.index = t.index;
    std::uint64_t sum = 0;
    for (auto p : t.pixels) {
        sum += p;
        s.max = std::max(s.max, p);
        ++s.hist[p >> 4];
    }
    s.mean = t.pixels.empty() ? 0.0 : static_cast<double>(sum) / static_cast<double>(t.pixels.size());
    return s;
}

template <typename T, typename Fn>
std::vector<T> parallel_map(int n, int threads, Fn fn) {
    std::vector<T> out(static_cast<std::size_t>(n));
    std::vector<std::thread> pool;
    for (int w = 0; w < threads; ++w) {
        pool.emplace_back([&, w] {
            for (int i = w; i < n; i += threads) out[static_cast<std::size_t>(i)] = fn(i);
        });
    }
    for (auto& th : pool) th.join();
    return out;
}

Histogram merge(const std::vector<TileStats>& all) {
    Histogram h{};
    for (const auto& s : all)
        for (std::size_t b = 0; b < h.size(); ++b) h[b] += s.hist[b];
    return h;
}

std::string bar(std::uint32_t v, std::uint32_t max, int width) {
    int n = max ? static_cast<int>(static_cast<double>(v) / max * width) : 0;
    return std::string(static_cast<std::size_t>(n), '#');
}

}  // namespace

int main() {
    const auto t0 = std::chrono::steady_clock::now();
    Options opts(kDefaults);
    g_telemetry.configure(opts);
    std::atexit(flush_telemetry_at_exit);

    const int tiles = opts.integer<int>("tiles", 16);
    const int w = opts.integer<int>("tile.width", 16);
    const int h = opts.integer<int>("tile.height", 16);
    const int threads = std::max(1, opts.integer<int>("threads", 2));
    const auto top = opts.integer<std::size_t>("report.top", 3);

    auto stats = parallel_map<TileStats>(tiles, threads, [w, h](int i) { return analyse(make_tile(i, w, h)); });

    Histogram total = merge(stats);
    const std::uint32_t peak = *std::max_element(total.begin(), total.end());
    OUT(opts.str("tool.name") << ": " << tiles << " tiles of " << w << "x" << h);
    for (std::size_t b = 0; b < total.size(); b += 4) {
        std::uint32_t v = total[b] + total[b + 1] + total[b + 2] + total[b + 3];
        OUT("  bin " << b / 4 << ": " << bar(v, 4 * peak, 40));
    }

    std::sort(stats.begin(), stats.end(),
              [](const TileStats& a, const TileStats& b) { return a.mean > b.mean; });
    for (std::size_t i = 0; i < std::min(top, stats.size()); ++i)
        OUT("  brightest #" << i + 1 << ": tile " << stats[i].index << " mean=" << stats[i].mean);

    const double overall = std::accumulate(stats.begin(), stats.end(), 0.0,
                                           [](double acc, const TileStats& s) { return acc + s.mean; }) /
                           static_cast<double>(stats.size());
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - t0).count();
    g_telemetry.add("tiles", tiles);
    g_telemetry.add("threads", threads);
    g_telemetry.add("elapsed_ms", ms);
    OUT("overall mean " << overall);
    std::cout << std::flush;
    return 0;
}
