// ingestd -- a toy ingest service.
//
// Parses its built-in configuration, generates a batch of synthetic records,
// validates and scores them on a small worker pool and exports aggregated
// metrics through a process-wide exporter.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

const char* const kConfig = R"(
# ingestd configuration
service.name   = ingestd
workers        = 3
records        = 48
batch.size     = 16
metrics.prefix = ingest.
log.level      = info
reject.below   = 12
)";

// ---------------------------------------------------------------- logging

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

class Logger {
public:
    void set_level(Level l) { level_ = l; }
    bool enabled(Level l) const { return static_cast<int>(l) >= static_cast<int>(level_); }

    void write(Level l, const std::string& msg) {
        static const char* const names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
        std::lock_guard<std::mutex> lk(mu_);
        std::cout << "[" << names[static_cast<int>(l)] << "] " << msg << std::endl;
    }

private:
    std::mutex mu_;
    Level level_ = Level::Info;
};

Logger& logger() {
    static Logger instance;
    return instance;
}

#define LOG_AT(level, expr)                                   \
    do {                                                      \
        if (logger().enabled(level)) {                        \
            std::ostringstream log_os_;                       \
            log_os_ << expr;                                  \
            logger().write(level, log_os_.str());             \
        }                                                     \
    } while (0)
#define LOG_DEBUG(expr) LOG_AT(Level::Debug, expr)
#define LOG_INFO(expr) LOG_AT(Level::Info, expr)
#define LOG_WARN(expr) LOG_AT(Level::Warn, expr)

// ---------------------------------------------------------------- config

std::string trim(const std::string& s) {
    const char* ws = " \t\r\n";
    auto b = s.find_first_not_of(ws);
    if (b == std::string::npos) return "";
    auto e = s.find_last_not_of(ws);
    return s.substr(b, e - b + 1);
}

class Config {
public:
    static Config parse(const std::string& text) {
        Config c;
        std::istringstream in(text);
        std::string line;
        int lineno = 0;
        while (std::getline(in, line)) {
            ++lineno;
            line = trim(line);
            if (line.empty() || line[0] == '#') continue;
            auto eq = line.find('=');
            if (eq == std::string::npos) {
                c.bad_lines_.push_back(lineno);
                continue;
            }
            c.values_[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
        }
        return c;
    }

    template <typename T>
    T get(const std::string& key, T fallback) const {
        auto it = values_.find(key);
        if (it == values_.end()) return fallback;
        std::istringstream in(it->second);
        T value{};
        if (!(in >> value)) return fallback;
        return value;
    }

    std::size_t size() const { return values_.size(); }
    const std::vector<int>& bad_lines() const { return bad_lines_; }

private:
    std::map<std::string, std::string> values_;
    std::vector<int> bad_lines_;
};

Level parse_level(const std::string& s) {
    if (s == "debug") return Level::Debug;
    if (s == "warn") return Level::Warn;
    if (s == "error") return Level::Error;
    return Level::Info;
}

// ---------------------------------------------------------------- metrics

struct Summary {
    std::uint64_t count = 0;
    double sum = 0.0;
    double max = 0.0;

    void add(double v) {
        ++count;
        sum += v;
        max = std::max(max, v);
    }
    double mean() const { return count ? sum / static_cast<double>(count) : 0.0; }
};

// Aggregates samples on a background thread so that hot paths only pay for
// a queue push.  One instance lives for the whole process.
class MetricsExporter {
public:
    MetricsExporter() : worker_([this] { run(); }) {}

    ~MetricsExporter() {
        {
            std::lock_guard<std::mutex> lk(mu_);
            stop_ = true;
        }
        // The exporter thread notices stop_ on its next wake-up.
        if (worker_.joinable()) worker_.join();
    }

    void record(const std::string& name, double value) {
        {
            std::lock_guard<std::mutex> lk(mu_);
            pending_.push_back(Sample{prefix_ + name, value});
            idle_ = false;
        }
        cv_.notify_one();
    }

    void set_prefix(const std::string& p) {
        std::lock_guard<std::mutex> lk(mu_);
        prefix_ = p;
    }

    // Blocks until every recorded sample has been aggregated.
    void flush() {
        std::unique_lock<std::mutex> lk(mu_);
        idle_cv_.wait(lk, [this] { return idle_ && pending_.empty(); });
    }

    std::map<std::string, Summary> snapshot() {
        std::lock_guard<std::mutex> lk(mu_);
        return totals_;
    }

private:
    struct Sample {
        std::string name;
        double value;
    };

    void run() {
        std::unique_lock<std::mutex> lk(mu_);
        for (;;) {
            cv_.wait(lk, [this] { return stop_ || !pending_.empty(); });
            if (pending_.empty()) return;  // stop requested and nothing left
            while (!pending_.empty()) {
                Sample s = std::move(pending_.front());
                pending_.pop_front();
                totals_[s.name].add(s.value);
            }
            idle_ = true;
            idle_cv_.notify_all();
        }
    }

    std::mutex mu_;
    std::condition_variable cv_;
    std::condition_variable idle_cv_;
    std::deque<Sample> pending_;
    std::map<std::string, Summary> totals_;
    std::string prefix_;
    bool stop_ = false;
    bool idle_ = true;
    std::thread worker_;  // must stay last: started from the constructor
};

MetricsExporter g_metrics;

// ---------------------------------------------------------------- work pool

class WorkerPool {
public:
    explicit WorkerPool(int n) {
        for (int i = 0; i < n; ++i) threads_.emplace_back([this] { loop(); });
    }
    ~WorkerPool() {
        {
            std::lock_guard<std::mutex> lk(mu_);
            done_ = true;
        }
        cv_.notify_all();
        for (auto& t : threads_) t.join();
    }
    void post(std::function<void()> job) {
        {
            std::lock_guard<std::mutex> lk(mu_);
            jobs_.push_back(std::move(job));
        }
        cv_.notify_one();
    }

private:
    void loop() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock<std::mutex> lk(mu_);
                cv_.wait(lk, [this] { return done_ || !jobs_.empty(); });
                if (jobs_.empty()) return;
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
            job();
        }
    }

    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> jobs_;
    bool done_ = false;
    std::vector<std::thread> threads_;
};

// ---------------------------------------------------------------- records

struct Record {
    std::uint32_t id;
    std::string payload;
};

std::uint32_t fnv1a(const std::string& s) {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : s) {
        h ^= c;
        h *= 16777619u;
    }
    return h;
}

std::vector<Record> generate_records(int n) {
    std::vector<Record> out;
    std::uint32_t seed = 12345;
    for (int i = 0; i < n; ++i) {
        seed = seed * 1103515245u + 12345u;
        std::string payload(8 + (seed >> 16) % 24, 'a' + static_cast<char>(seed % 26));
        out.push_back(Record{static_cast<std::uint32_t>(i), payload});
    }
    return out;
}

std::string format_duration(std::chrono::microseconds d) {
    std::ostringstream os;
    os << std::fixed << std::setprecision(2) << static_cast<double>(d.count()) / 1000.0 << "ms";
    return os.str();
}

template <typename Container, typename Pred>
std::size_t count_where(const Container& c, Pred p) {
    return static_cast<std::size_t>(std::count_if(std::begin(c), std::end(c), p));
}

void process_batch(const std::vector<Record>& batch, std::size_t reject_below) {
    for (const auto& r : batch) {
        if (r.payload.size() < reject_below) {
            g_metrics.record("rejected", 1.0);
            continue;
        }
        g_metrics.record("accepted", 1.0);
        g_metrics.record("score", static_cast<double>(fnv1a(r.payload) % 1000));
    }
}

}  // namespace

int main() {
    const auto started = std::chrono::steady_clock::now();
    Config cfg = Config::parse(kConfig);
    logger().set_level(parse_level(cfg.get<std::string>("log.level", "info")));
    if (!cfg.bad_lines().empty()) LOG_WARN("config: " << cfg.bad_lines().size() << " bad lines");
    LOG_INFO(cfg.get<std::string>("service.name", "?") << ": " << cfg.size() << " settings loaded");

    g_metrics.set_prefix(cfg.get<std::string>("metrics.prefix", ""));
    const int workers = cfg.get<int>("workers", 2);
    const int total = cfg.get<int>("records", 16);
    const std::size_t batch_size = cfg.get<std::size_t>("batch.size", 8);
    const std::size_t reject_below = cfg.get<std::size_t>("reject.below", 10);

    std::vector<Record> records = generate_records(total);
    LOG_DEBUG("generated " << records.size() << " records");
    {
        WorkerPool pool(workers);
        for (std::size_t i = 0; i < records.size(); i += batch_size) {
            auto end = std::min(records.size(), i + batch_size);
            std::vector<Record> batch(records.begin() + static_cast<std::ptrdiff_t>(i),
                                      records.begin() + static_cast<std::ptrdiff_t>(end));
            pool.post([batch, reject_below] { process_batch(batch, reject_below); });
        }
    }
    g_metrics.flush();

    for (const auto& kv : g_metrics.snapshot()) {
        LOG_INFO(kv.first << " count=" << kv.second.count << " mean=" << std::fixed
                          << std::setprecision(1) << kv.second.mean());
    }
    const std::size_t long_ones =
        count_where(records, [](const Record& r) { return r.payload.size() > 20; });
    LOG_INFO("long payloads: " << long_ones);
    LOG_INFO("done in " << format_duration(std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::steady_clock::now() - started)));
    return 0;
}
