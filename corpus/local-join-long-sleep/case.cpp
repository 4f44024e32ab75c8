// feedsync -- merges a handful of (built-in, simulated) news feeds into one
// de-duplicated digest.
//
// Feeds are parsed in parallel, items are de-duplicated through a small LRU
// cache keyed by link, and a progress reporter prints a status line every few
// moments while the sync runs.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <future>
#include <iomanip>
#include <iostream>
#include <list>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

const char* const kSettings = R"(
digest.title        = Morning digest
digest.max_items    = 8
cache.capacity      = 16
progress.enabled    = yes
progress.interval_ms = 1500
parse.parallel      = yes
)";

// One feed per block: "@feed NAME", then "date|link|title" lines.
const char* const kFeeds = R"(
@feed tech
2024-05-01|https://ex.org/a1|Compiler release notes
2024-05-02|https://ex.org/a2|Linker speedups explained
2024-05-02|https://ex.org/a3|A tour of coroutines
@feed science
2024-05-01|https://sci.org/b1|Comet spotted early
2024-05-03|https://sci.org/b2|Deep sea survey results
2024-05-02|https://ex.org/a2|Linker speedups explained
@feed local
2024-05-03|https://town.org/c1|Road works on Main St
2024-05-01|https://town.org/c2|Library extends hours
2024-05-03|https://sci.org/b2|Deep sea survey results
bogus line without separators
)";

// ---------------------------------------------------------------- logging

std::mutex g_out_mu;

#define FS_LOG(level, expr)                                   \
    do {                                                      \
        std::ostringstream fs_log_os_;                        \
        fs_log_os_ << expr;                                   \
        std::lock_guard<std::mutex> fs_log_lk_(g_out_mu);     \
        std::cout << level << ": " << fs_log_os_.str() << std::endl; \
    } while (0)

// ---------------------------------------------------------------- settings

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    size_t b = 0;
    while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    return s.substr(b);
}

class Settings {
public:
    explicit Settings(const std::string& text) {
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);) {
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
        } catch (const std::exception&) {
            return fallback;
        }
    }
    bool flag(const std::string& key, bool fallback) const {
        std::string v = str(key, fallback ? "yes" : "no");
        return v == "yes" || v == "true" || v == "on";
    }

private:
    std::map<std::string, std::string> values_;
};

// ---------------------------------------------------------------- cache

template <typename K, typename V>
class LruCache {
public:
    explicit LruCache(size_t capacity) : capacity_(capacity) {}

    // Returns true when the key was new.
    bool insert(const K& key, V value) {
        auto it = index_.find(key);
        if (it != index_.end()) {
            order_.splice(order_.begin(), order_, it->second);
            return false;
        }
        order_.emplace_front(key, std::move(value));
        index_[key] = order_.begin();
        if (order_.size() > capacity_) {
            index_.erase(order_.back().first);
            order_.pop_back();
            ++evictions_;
        }
        return true;
    }
    size_t size() const { return order_.size(); }
    size_t evictions() const { return evictions_; }

private:
    size_t capacity_;
    size_t evictions_ = 0;
    std::list<std::pair<K, V>> order_;
    std::unordered_map<K, typename std::list<std::pair<K, V>>::iterator> index_;
};

// ---------------------------------------------------------------- feeds

struct Item {
    std::string feed;
    std::string date;
    std::string link;
    std::string title;
};

struct Feed {
    std::string name;
    std::vector<std::string> lines;
};

std::vector<Feed> split_feeds(const std::string& text) {
    std::vector<Feed> feeds;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        line = trim(line);
        if (line.empty()) continue;
        if (line.rfind("@feed ", 0) == 0) {
            feeds.push_back(Feed{trim(line.substr(6)), {}});
        } else if (!feeds.empty()) {
            feeds.back().lines.push_back(line);
        }
    }
    return feeds;
}

std::pair<std::vector<Item>, int> parse_feed(const Feed& feed) {
    std::vector<Item> items;
    int bad = 0;
    for (const auto& line : feed.lines) {
        auto p1 = line.find('|');
        auto p2 = p1 == std::string::npos ? p1 : line.find('|', p1 + 1);
        if (p2 == std::string::npos) {
            ++bad;
            continue;
        }
        items.push_back(Item{feed.name, line.substr(0, p1), line.substr(p1 + 1, p2 - p1 - 1), line.substr(p2 + 1)});
    }
    return {items, bad};
}

// ---------------------------------------------------------------- progress

struct Counters {
    std::atomic<int> feeds_done{0};
    std::atomic<int> items_seen{0};
    std::atomic<int> items_kept{0};
};

// Prints a status line now and then while the sync runs (at least once).  The
// thread sleeps between reports and looks at the stop flag when it wakes up.
class ProgressReporter {
public:
    ProgressReporter(const Counters& counters, std::chrono::milliseconds interval, bool enabled)
        : counters_(counters), interval_(interval) {
        if (enabled) thread_ = std::thread([this] { run(); });
    }
    ProgressReporter(const ProgressReporter&) = delete;
    ProgressReporter& operator=(const ProgressReporter&) = delete;

    ~ProgressReporter() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }

private:
    void run() {
        do {
            report();
            std::this_thread::sleep_for(interval_);
        } while (!stop_);
    }

    void report() const {
        FS_LOG("progress", counters_.feeds_done.load() << " feeds, " << counters_.items_seen.load()
                                                       << " items seen, " << counters_.items_kept.load() << " kept");
    }

    const Counters& counters_;
    std::chrono::milliseconds interval_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

// ---------------------------------------------------------------- digest

template <typename Range, typename Less>
void print_table(const std::string& title, const Range& rows, Less less, size_t limit) {
    std::vector<typename Range::value_type> sorted(rows.begin(), rows.end());
    std::stable_sort(sorted.begin(), sorted.end(), less);
    if (sorted.size() > limit) sorted.resize(limit);
    std::lock_guard<std::mutex> lk(g_out_mu);
    std::cout << "== " << title << " (" << sorted.size() << ") ==" << std::endl;
    for (const auto& it : sorted)
        std::cout << "  " << it.date << "  " << std::left << std::setw(8) << it.feed << " " << it.title << std::endl;
}

}  // namespace

int main() {
    const Settings settings(kSettings);
    Counters counters;
    ProgressReporter progress(counters, std::chrono::milliseconds(settings.num("progress.interval_ms", 500)),
                              settings.flag("progress.enabled", false));

    const auto feeds = split_feeds(kFeeds);
    FS_LOG("info", "syncing " << feeds.size() << " feeds");

    std::vector<std::future<std::pair<std::vector<Item>, int>>> parsed;
    const auto policy = settings.flag("parse.parallel", true) ? std::launch::async : std::launch::deferred;
    for (const auto& feed : feeds) parsed.push_back(std::async(policy, parse_feed, std::cref(feed)));

    LruCache<std::string, std::string> seen(static_cast<size_t>(settings.num("cache.capacity", 64)));
    std::vector<Item> digest;
    int bad_lines = 0;
    for (auto& f : parsed) {
        auto [items, bad] = f.get();
        bad_lines += bad;
        for (auto& item : items) {
            ++counters.items_seen;
            if (!seen.insert(item.link, item.title)) continue;
            ++counters.items_kept;
            digest.push_back(std::move(item));
        }
        ++counters.feeds_done;
    }
    if (bad_lines > 0) FS_LOG("warn", bad_lines << " malformed feed line(s) skipped");

    print_table(settings.str("digest.title", "Digest"), digest,
                [](const Item& a, const Item& b) { return a.date > b.date; },
                static_cast<size_t>(settings.num("digest.max_items", 10)));
    FS_LOG("info", "kept " << digest.size() << " of " << counters.items_seen.load() << " items, cache "
                           << seen.size() << " entries, " << seen.evictions() << " evictions");
}
