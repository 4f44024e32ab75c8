// dupfind -- finds duplicate blobs in a (simulated) object store.
//
// Generates the object listing described by its built-in configuration,
// hashes every object on a background hashing pipeline, and reports groups of
// objects with identical content and the space they waste.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

const char* const kConfig = R"(
# dupfind configuration
store.bucket   = media-archive
store.objects  = 24
store.seed     = 1337
store.variants = 9
hash.rounds    = 2
queue.depth    = 1
report.top     = 4
log.progress   = true
)";

// ---------------------------------------------------------------- logging

std::mutex g_log_mu;
bool g_progress = true;

#define DLOG(expr)                                               \
    do {                                                         \
        std::ostringstream dlog_os_;                             \
        dlog_os_ << expr;                                        \
        std::lock_guard<std::mutex> dlog_lk_(g_log_mu);          \
        std::cout << "dupfind: " << dlog_os_.str() << std::endl; \
    } while (0)
#define DPROGRESS(expr)              \
    do {                             \
        if (g_progress) DLOG(expr);  \
    } while (0)

// ---------------------------------------------------------------- config

std::string trim(const std::string& s) {
    const char* ws = " \t\r\n";
    auto b = s.find_first_not_of(ws);
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::map<std::string, std::string> parse_config(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        line = trim(line);
        if (line.empty() || line[0] == '#') continue;
        auto eq = line.find('=');
        if (eq != std::string::npos) out[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
    }
    return out;
}

template <typename T>
T setting(const std::map<std::string, std::string>& cfg, const std::string& key, T fallback) {
    auto it = cfg.find(key);
    if (it == cfg.end()) return fallback;
    std::istringstream in(it->second);
    if constexpr (std::is_same_v<T, bool>) {
        return it->second == "true" || it->second == "yes";
    } else {
        T v{};
        return (in >> v) ? v : fallback;
    }
}

// ---------------------------------------------------------------- channel

// A bounded multi-producer/multi-consumer channel: put() waits while full,
// take() waits while empty.
template <typename T>
class BoundedChannel {
public:
    explicit BoundedChannel(std::size_t capacity) : capacity_(std::max<std::size_t>(1, capacity)) {}

    void put(T value) {
        std::unique_lock<std::mutex> lk(mu_);
        not_full_.wait(lk, [this] { return items_.size() < capacity_; });
        items_.push_back(std::move(value));
        not_empty_.notify_one();
    }

    T take() {
        std::unique_lock<std::mutex> lk(mu_);
        not_empty_.wait(lk, [this] { return !items_.empty(); });
        T value = std::move(items_.front());
        items_.pop_front();
        not_full_.notify_one();
        return value;
    }

private:
    std::mutex mu_;
    std::condition_variable not_full_;
    std::condition_variable not_empty_;
    std::deque<T> items_;
    std::size_t capacity_;
};

// ---------------------------------------------------------------- objects

struct Object {
    std::string key;
    std::string content;
};

struct Digest {
    std::string key;
    std::uint64_t hash = 0;
    std::size_t size = 0;
};

std::uint64_t fnv1a64(const std::string& data, int rounds) {
    std::uint64_t h = 1469598103934665603ull;
    for (int r = 0; r < rounds; ++r)
        for (unsigned char c : data) {
            h ^= c;
            h *= 1099511628211ull;
        }
    return h;
}

std::vector<Object> list_objects(int count, std::uint32_t seed, int variants) {
    static const char* const kinds[] = {"img", "vid", "doc"};
    std::vector<Object> out;
    std::uint32_t x = seed;
    for (int i = 0; i < count; ++i) {
        x = x * 22695477u + 1u;
        const int variant = static_cast<int>(x >> 16) % std::max(1, variants);
        std::ostringstream key;
        key << kinds[i % 3] << "/" << std::setw(4) << std::setfill('0') << i << "." << kinds[variant % 3];
        std::string content(256 + static_cast<std::size_t>(variant) * 97, static_cast<char>('a' + variant));
        out.push_back(Object{key.str(), std::move(content)});
    }
    return out;
}

// ---------------------------------------------------------------- pipeline

// Hashes submitted objects on one background thread.  Results come back in
// submission order through a bounded channel, so a slow consumer throttles the
// hasher instead of letting results pile up in memory.
class HashPipeline {
public:
    HashPipeline(std::size_t depth, int rounds) : results_(depth), rounds_(rounds) {}

    HashPipeline(const HashPipeline&) = delete;
    HashPipeline& operator=(const HashPipeline&) = delete;

    ~HashPipeline() {
        close();
        if (worker_.joinable()) worker_.join();
    }

    // Starts the hashing thread; objects may be submitted before and after.
    void start() {
        if (!worker_.joinable()) worker_ = std::thread([this] { run(); });
    }

    void submit(Object obj) {
        {
            std::lock_guard<std::mutex> lk(mu_);
            jobs_.push_back(std::move(obj));
        }
        work_cv_.notify_one();
    }

    // No more input: the worker finishes what is queued and leaves.
    // Idempotent; the destructor calls it too.
    void close() {
        if (closing_.exchange(true)) return;
        work_cv_.notify_all();
    }

    Digest next() { return results_.take(); }

    std::uint64_t hashed_bytes() const { return hashed_bytes_.load(); }

private:
    void run() {
        while (!closing_.load()) {
            drain();
            std::unique_lock<std::mutex> lk(mu_);
            if (jobs_.empty()) work_cv_.wait(lk);  // woken by submit() and close()
        }
        drain();
    }

    // Hashes every queued job; blocks in put() while the consumer lags behind.
    void drain() {
        for (;;) {
            std::optional<Object> job;
            {
                std::lock_guard<std::mutex> lk(mu_);
                if (jobs_.empty()) return;
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
            Digest d{job->key, fnv1a64(job->content, rounds_), job->content.size()};
            hashed_bytes_ += d.size;
            results_.put(std::move(d));
        }
    }

    std::mutex mu_;
    std::condition_variable work_cv_;
    std::deque<Object> jobs_;
    std::atomic<bool> closing_{false};
    std::atomic<std::uint64_t> hashed_bytes_{0};
    BoundedChannel<Digest> results_;
    int rounds_;
    std::thread worker_;
};

// ---------------------------------------------------------------- report

struct Group {
    std::uint64_t hash;
    std::vector<std::string> keys;
    std::size_t size;
    std::size_t wasted() const { return keys.empty() ? 0 : size * (keys.size() - 1); }
};

std::vector<Group> group_duplicates(const std::vector<Digest>& digests) {
    std::map<std::uint64_t, Group> by_hash;
    for (const auto& d : digests) {
        auto& g = by_hash.try_emplace(d.hash, Group{d.hash, {}, d.size}).first->second;
        g.keys.push_back(d.key);
    }
    std::vector<Group> out;
    for (auto& kv : by_hash)
        if (kv.second.keys.size() > 1) out.push_back(std::move(kv.second));
    std::sort(out.begin(), out.end(), [](const Group& a, const Group& b) { return a.wasted() > b.wasted(); });
    return out;
}

template <typename Range, typename Fn>
std::size_t total_of(const Range& r, Fn fn) {
    std::size_t sum = 0;
    for (const auto& x : r) sum += fn(x);
    return sum;
}

std::string join_keys(const std::vector<std::string>& keys, std::size_t max) {
    std::ostringstream os;
    for (std::size_t i = 0; i < keys.size() && i < max; ++i) os << (i ? " " : "") << keys[i];
    if (keys.size() > max) os << " +" << keys.size() - max;
    return os.str();
}

}  // namespace

int main() {
    const auto started = std::chrono::steady_clock::now();
    const auto cfg = parse_config(kConfig);
    g_progress = setting<bool>(cfg, "log.progress", true);
    const auto bucket = setting<std::string>(cfg, "store.bucket", "default");
    auto objects = list_objects(setting<int>(cfg, "store.objects", 8), setting<std::uint32_t>(cfg, "store.seed", 1),
                                setting<int>(cfg, "store.variants", 4));
    const std::size_t total = objects.size();
    DLOG("bucket " << bucket << ": " << total << " objects listed");
    if (total == 0) return 0;

    HashPipeline pipeline(setting<std::size_t>(cfg, "queue.depth", 4), setting<int>(cfg, "hash.rounds", 1));
    for (auto& obj : objects) pipeline.submit(std::move(obj));
    pipeline.start();

    std::vector<Digest> digests;
    digests.push_back(pipeline.next());
    DPROGRESS("first digest: " << digests.front().key << " " << std::hex << digests.front().hash << std::dec);
    pipeline.close();  // everything is submitted
    while (digests.size() < total) digests.push_back(pipeline.next());
    DPROGRESS("hashed " << digests.size() << " objects, " << pipeline.hashed_bytes() << " bytes");

    auto groups = group_duplicates(digests);
    const std::size_t top = setting<std::size_t>(cfg, "report.top", 3);
    for (std::size_t i = 0; i < groups.size() && i < top; ++i)
        DLOG("dup group " << i + 1 << ": " << groups[i].keys.size() << " x " << groups[i].size << " bytes: "
                          << join_keys(groups[i].keys, 3));
    const auto wasted = total_of(groups, [](const Group& g) { return g.wasted(); });
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    DLOG(groups.size() << " duplicate groups, " << wasted << " bytes reclaimable (" << ms.count() << " ms)");
    return 0;
}
