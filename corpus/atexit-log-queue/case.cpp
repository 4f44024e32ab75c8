// mailsortd -- sorts a (built-in) batch of mail messages into folders.
//
// Loads its rules from the built-in configuration, classifies every message
// on a few worker threads and prints per-folder totals.  Logging goes
// through an asynchronous log queue served by a writer thread, so workers
// never block on stdout.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

const char* const kConfig = R"(
service   = mailsortd
workers   = 3
log.level = info

# folder  <- keyword, keyword, ...
rule.billing  = invoice, payment, receipt
rule.alerts   = alert, outage, down
rule.social   = party, lunch, birthday
rule.default  = inbox
)";

const char* const kMessages[] = {
    "Invoice 2231 for March",      "Lunch on friday?",          "ALERT: disk 93% full",
    "Re: payment reminder",        "Team birthday party",       "status report week 12",
    "Outage in eu-west resolved",  "your receipt from the shop", "minutes of the meeting",
    "Is the build down again",     "new office chairs",         "payment confirmed",
};

// ---------------------------------------------------------------- log queue

enum class Severity { Debug, Info, Warn, Error };

const char* severity_name(Severity s) {
    switch (s) {
        case Severity::Debug: return "debug";
        case Severity::Info: return "info";
        case Severity::Warn: return "warn";
        case Severity::Error: return "error";
    }
    return "?";
}

// Producers push formatted lines; one writer thread prints them.
class LogQueue {
public:
    void start() {
        std::lock_guard<std::mutex> lk(mu_);
        if (writer_.joinable()) return;
        running_ = true;
        writer_ = std::thread([this] { run(); });
    }

    // Stops the writer thread; lines already queued are printed first.
    void stop() {
        {
            std::lock_guard<std::mutex> lk(mu_);
            running_ = false;
        }
        wake_.notify_all();
        if (writer_.joinable()) writer_.join();
    }

    void push(Severity sev, std::string line) {
        if (sev < min_) return;
        {
            std::lock_guard<std::mutex> lk(mu_);
            lines_.emplace_back(sev, std::move(line));
            ++pushed_;
        }
        wake_.notify_one();
    }

    // Waits until everything pushed so far has been written.
    void flush() {
        std::unique_lock<std::mutex> lk(mu_);
        drained_.wait(lk, [this] { return lines_.empty(); });
        std::cout.flush();
    }

    void set_min(Severity s) { min_ = s; }
    unsigned long pushed() const { return pushed_; }

    ~LogQueue() { stop(); }

private:
    void run() {
        std::unique_lock<std::mutex> lk(mu_);
        for (;;) {
            wake_.wait(lk, [this] { return !running_ || !lines_.empty(); });
            while (!lines_.empty()) {
                auto item = std::move(lines_.front());
                lines_.pop_front();
                lk.unlock();
                std::cout << "[" << severity_name(item.first) << "] " << item.second << '\n';
                lk.lock();
            }
            std::cout.flush();
            drained_.notify_all();
            if (!running_) return;
        }
    }

    std::mutex mu_;
    std::condition_variable wake_;
    std::condition_variable drained_;
    std::deque<std::pair<Severity, std::string>> lines_;
    std::atomic<Severity> min_{Severity::Info};
    std::atomic<unsigned long> pushed_{0};
    bool running_ = false;
    std::thread writer_;
};

LogQueue g_log;

#define LOG(sev, expr)                                   \
    do {                                                 \
        std::ostringstream log_os_;                      \
        log_os_ << expr;                                 \
        g_log.push(Severity::sev, log_os_.str());        \
    } while (0)

// Registered first thing in main, so that even exit() from deep inside the
// program gets its log lines out.
void flush_log_at_exit() { g_log.flush(); }

// ---------------------------------------------------------------- config

std::string trim(std::string s) {
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

struct Rule {
    std::string folder;
    std::vector<std::string> keywords;
};

struct Config {
    std::string service = "?";
    int workers = 1;
    Severity level = Severity::Info;
    std::vector<Rule> rules;
    std::string fallback = "inbox";
};

Config parse_config(const std::string& text) {
    Config c;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        line = trim(line);
        if (line.empty() || line[0] == '#') continue;
        auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
        if (key == "service") c.service = value;
        else if (key == "workers") c.workers = std::max(1, std::atoi(value.c_str()));
        else if (key == "log.level") c.level = value == "debug" ? Severity::Debug : Severity::Info;
        else if (key == "rule.default") c.fallback = value;
        else if (key.rfind("rule.", 0) == 0) {
            Rule r;
            r.folder = key.substr(5);
            std::istringstream words(value);
            for (std::string w; std::getline(words, w, ',');) r.keywords.push_back(lower(trim(w)));
            c.rules.push_back(std::move(r));
        }
    }
    return c;
}

// ---------------------------------------------------------------- sorting

template <typename K, typename V>
class LockedMap {
public:
    void add(const K& k, V v) {
        std::lock_guard<std::mutex> lk(mu_);
        map_[k] += v;
    }
    std::map<K, V> copy() const {
        std::lock_guard<std::mutex> lk(mu_);
        return map_;
    }

private:
    mutable std::mutex mu_;
    std::map<K, V> map_;
};

class Sorter {
public:
    explicit Sorter(const Config& cfg) : cfg_(cfg) {}

    std::string classify(const std::string& subject) const {
        const std::string s = lower(subject);
        for (const auto& rule : cfg_.rules)
            for (const auto& kw : rule.keywords)
                if (!kw.empty() && s.find(kw) != std::string::npos) return rule.folder;
        return cfg_.fallback;
    }

    void sort_all(const std::vector<std::string>& messages) {
        std::atomic<std::size_t> next{0};
        std::vector<std::thread> pool;
        for (int w = 0; w < cfg_.workers; ++w) {
            pool.emplace_back([&, w] {
                for (std::size_t i; (i = next++) < messages.size();) {
                    std::string folder = classify(messages[i]);
                    totals_.add(folder, 1);
                    LOG(Debug, "worker " << w << ": '" << messages[i] << "' -> " << folder);
                }
            });
        }
        for (auto& t : pool) t.join();
    }

    std::map<std::string, int> totals() const { return totals_.copy(); }

private:
    const Config& cfg_;
    LockedMap<std::string, int> totals_;
};

// ---------------------------------------------------------------- service

class Service {
public:
    explicit Service(Config cfg) : cfg_(std::move(cfg)), sorter_(cfg_), started_(std::chrono::steady_clock::now()) {
        LOG(Info, cfg_.service << " starting with " << cfg_.workers << " workers, " << cfg_.rules.size()
                               << " rules");
    }

    ~Service() {
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_);
        LOG(Info, cfg_.service << " stopped after " << ms.count() << " ms");
    }

    int run(const std::vector<std::string>& messages) {
        sorter_.sort_all(messages);
        int total = 0;
        for (const auto& kv : sorter_.totals()) {
            LOG(Info, kv.first << ": " << kv.second);
            total += kv.second;
        }
        if (total != static_cast<int>(messages.size())) {
            LOG(Error, "lost " << messages.size() - static_cast<std::size_t>(total) << " messages");
            return 1;
        }
        return 0;
    }

private:
    Config cfg_;
    Sorter sorter_;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace

int main() {
    std::atexit(flush_log_at_exit);
    g_log.start();

    Config cfg = parse_config(kConfig);
    g_log.set_min(cfg.level);
    Service service(cfg);
    std::vector<std::string> messages(std::begin(kMessages), std::end(kMessages));
    const int rc = service.run(messages);
    LOG(Info, "sorted " << messages.size() << " messages, " << g_log.pushed() << " log lines");

    g_log.stop();  // drain and stop the writer before the statics go away
    return rc;
}
