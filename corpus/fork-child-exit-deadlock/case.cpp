// jobd -- a small batch job runner.
//
// Reads a job list from the built-in configuration, runs the trusted jobs in
// process and the untrusted ones ("isolate = yes") in a forked child so that a
// crash cannot take the runner down, then reports every job's status.  Log
// lines go to stdout and into an in-memory segment that a background rotator
// seals and archives.
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <numeric>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

const char* const kConfig = R"(
# jobd configuration
runner.name            = jobd
runner.verbose         = no
log.archive_segments   = 20
log.compress_ms        = 1500

# job   <name>      <kind>      <isolate>  <argument>
job     sum-small   checksum    no         the quick brown fox
job     words       wordcount   no         one two three two one
job     sort-ids    sortnum     no         42 7 19 3 88 1
job     plugin-a    checksum    yes        untrusted plugin payload
job     plugin-b    wordcount   yes        alpha beta alpha gamma
)";

// ---------------------------------------------------------------- config

struct JobSpec {
    std::string name;
    std::string kind;
    bool isolate = false;
    std::string argument;
};

struct Config {
    std::map<std::string, std::string> settings;
    std::vector<JobSpec> jobs;

    template <typename T>
    T get(const std::string& key, T fallback) const;
};

template <>
std::string Config::get(const std::string& key, std::string fallback) const {
    auto it = settings.find(key);
    return it == settings.end() ? fallback : it->second;
}

template <>
int Config::get(const std::string& key, int fallback) const {
    auto it = settings.find(key);
    if (it == settings.end()) return fallback;
    try {
        return std::stoi(it->second);
    } catch (const std::exception&) {
        return fallback;
    }
}

template <>
bool Config::get(const std::string& key, bool fallback) const {
    auto it = settings.find(key);
    if (it == settings.end()) return fallback;
    return it->second == "yes" || it->second == "true" || it->second == "1";
}

std::string trim(const std::string& s) {
    size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

Config parse_config(const std::string& text) {
    Config cfg;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        line = trim(line.substr(0, line.find('#')));
        if (line.empty()) continue;
        if (line.compare(0, 4, "job ") == 0) {
            std::istringstream fields(line.substr(4));
            JobSpec job;
            std::string isolate;
            fields >> job.name >> job.kind >> isolate;
            std::getline(fields, job.argument);
            job.argument = trim(job.argument);
            job.isolate = isolate == "yes";
            cfg.jobs.push_back(job);
            continue;
        }
        auto eq = line.find('=');
        if (eq != std::string::npos) cfg.settings[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
    }
    return cfg;
}

// ---------------------------------------------------------------- logging

// Lines are printed at once and kept in the open segment.  rotate() seals the
// open segment; the rotator thread then compresses the archive.  archive_mu_
// guards the archive and the sealed segments, line_mu_ only the open segment,
// so writers never wait for a rotation.
class Logger {
public:
    Logger() = default;
    Logger(const Logger&) = delete;
    Logger& operator=(const Logger&) = delete;

    ~Logger() {
        {
            std::lock_guard<std::mutex> lk(archive_mu_);  // no rotation in progress
            seal_locked();
            stopping_ = true;
        }
        rotate_cv_.notify_all();
        if (rotator_.joinable()) rotator_.join();
    }

    void start(int archive_segments, int compress_ms) {
        archive_segments_ = archive_segments;
        compress_ms_ = compress_ms;
        rotator_ = std::thread([this] { rotate_loop(); });
    }

    void write(const std::string& tag, const std::string& msg) {
        std::lock_guard<std::mutex> lk(line_mu_);
        std::cout << "[" << tag << "] " << msg << std::endl;
        open_segment_.push_back(tag + ": " + msg);
    }

    // Seals the open segment; returns once the rotator has taken it, so every
    // line written afterwards lands in a fresh segment.
    void rotate() {
        unsigned long seen;
        {
            std::lock_guard<std::mutex> lk(state_mu_);
            seen = rotations_started_;
        }
        {
            std::lock_guard<std::mutex> lk(archive_mu_);
            rotate_requested_ = true;
        }
        rotate_cv_.notify_one();
        std::unique_lock<std::mutex> lk(state_mu_);
        state_cv_.wait(lk, [&] { return rotations_started_ != seen; });
    }

    size_t sealed_lines() const { return sealed_lines_; }

private:
    void seal_locked() {
        std::lock_guard<std::mutex> lk(line_mu_);
        sealed_lines_ += open_segment_.size();
        open_segment_.clear();
    }

    void compress_segment(int) {
        // Stands in for deflating one archived segment on a slow disk.
        std::this_thread::sleep_for(std::chrono::milliseconds(compress_ms_));
    }

    void rotate_loop() {
        std::unique_lock<std::mutex> lk(archive_mu_);
        for (;;) {
            rotate_cv_.wait(lk, [this] { return stopping_ || rotate_requested_; });
            if (stopping_) return;
            rotate_requested_ = false;
            seal_locked();
            {
                std::lock_guard<std::mutex> st(state_mu_);
                ++rotations_started_;
            }
            state_cv_.notify_all();
            // The archive stays locked while it is rewritten.
            for (int s = 0; s < archive_segments_ && !stopping_; ++s) compress_segment(s);
        }
    }

    std::mutex line_mu_;
    std::vector<std::string> open_segment_;
    size_t sealed_lines_ = 0;

    std::mutex archive_mu_;
    std::condition_variable rotate_cv_;
    bool rotate_requested_ = false;
    bool stopping_ = false;
    int archive_segments_ = 0;
    int compress_ms_ = 0;

    std::mutex state_mu_;
    std::condition_variable state_cv_;
    unsigned long rotations_started_ = 0;

    std::thread rotator_;
};

Logger g_log;
bool g_verbose = false;

#define JLOG(tag, expr)                          \
    do {                                         \
        std::ostringstream jlog_os_;             \
        jlog_os_ << expr;                        \
        g_log.write(tag, jlog_os_.str());        \
    } while (0)
#define JDEBUG(expr)                             \
    do {                                         \
        if (g_verbose) JLOG("debug", expr);      \
    } while (0)

// ---------------------------------------------------------------- children

// Collects the exit status of every isolated job before the runner exits, so
// no job is left as a zombie and every status gets reported.
class ChildReaper {
public:
    ~ChildReaper() {
        if (getpid() != owner_) return;  // a forked job never reaps its siblings
        for (const auto& child : children_) {
            int status = 0;
            if (waitpid(child.first, &status, 0) < 0) continue;
            std::printf("reaped %s: %s %d\n", child.second.c_str(),
                        WIFEXITED(status) ? "exit" : "signal",
                        WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        }
    }

    void track(pid_t pid, const std::string& name) { children_.emplace_back(pid, name); }
    size_t size() const { return children_.size(); }

private:
    pid_t owner_ = getpid();
    std::vector<std::pair<pid_t, std::string>> children_;
};

ChildReaper g_children;

// ---------------------------------------------------------------- jobs

using JobFn = std::function<int(const std::string&, std::string&)>;

template <typename Fn>
class Registry {
public:
    void add(const std::string& kind, Fn fn) { table_[kind] = std::move(fn); }
    const Fn* find(const std::string& kind) const {
        auto it = table_.find(kind);
        return it == table_.end() ? nullptr : &it->second;
    }
    std::vector<std::string> kinds() const {
        std::vector<std::string> out;
        for (const auto& kv : table_) out.push_back(kv.first);
        return out;
    }

private:
    std::map<std::string, Fn> table_;
};

std::vector<std::string> words_of(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

int job_checksum(const std::string& arg, std::string& out) {
    unsigned sum = std::accumulate(arg.begin(), arg.end(), 0u,
                                   [](unsigned acc, char c) { return acc * 31u + static_cast<unsigned char>(c); });
    out = "crc=" + std::to_string(sum % 65521u);
    return 0;
}

int job_wordcount(const std::string& arg, std::string& out) {
    std::map<std::string, int> counts;
    for (const auto& w : words_of(arg)) ++counts[w];
    std::ostringstream os;
    for (const auto& kv : counts) os << kv.first << ":" << kv.second << " ";
    out = trim(os.str());
    return counts.empty() ? 1 : 0;
}

int job_sortnum(const std::string& arg, std::string& out) {
    std::vector<long> nums;
    for (const auto& w : words_of(arg)) {
        try {
            nums.push_back(std::stol(w));
        } catch (const std::exception&) {
            return 2;
        }
    }
    std::sort(nums.begin(), nums.end());
    std::ostringstream os;
    for (long n : nums) os << n << " ";
    out = trim(os.str());
    return 0;
}

struct JobResult {
    std::string name;
    int code = 0;
    std::string output;
    bool isolated = false;
};

// Runs an untrusted job in a child process.  The child must not log: another
// thread of the runner may hold a logger lock at the time of the fork.
pid_t spawn_isolated(const JobSpec& spec, const JobFn& fn) {
    std::fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        std::string out;
        int rc = fn(spec.argument, out);
        std::printf("  [child %d] %s => %s\n", static_cast<int>(getpid()), spec.name.c_str(), out.c_str());
        std::fflush(stdout);
        std::exit(rc);
    }
    return pid;
}

}  // namespace

int main() {
    const Config cfg = parse_config(kConfig);
    g_verbose = cfg.get<bool>("runner.verbose", false);
    g_log.start(cfg.get<int>("log.archive_segments", 8), cfg.get<int>("log.compress_ms", 5));
    JLOG("main", cfg.get<std::string>("runner.name", "jobd") << " starting with " << cfg.jobs.size() << " jobs");

    Registry<JobFn> registry;
    registry.add("checksum", job_checksum);
    registry.add("wordcount", job_wordcount);
    registry.add("sortnum", job_sortnum);
    JDEBUG("job kinds: " << registry.kinds().size());

    std::vector<JobResult> results;
    for (const auto& spec : cfg.jobs) {
        if (spec.isolate) continue;
        const JobFn* fn = registry.find(spec.kind);
        if (!fn) {
            JLOG("warn", "unknown job kind " << spec.kind << " for " << spec.name);
            continue;
        }
        JobResult r{spec.name, 0, "", false};
        r.code = (*fn)(spec.argument, r.output);
        JLOG("job", spec.name << " (" << spec.kind << ") rc=" << r.code << " " << r.output);
        results.push_back(r);
    }

    // Isolated jobs get a fresh log segment.
    g_log.rotate();
    for (const auto& spec : cfg.jobs) {
        if (!spec.isolate) continue;
        const JobFn* fn = registry.find(spec.kind);
        if (!fn) continue;
        pid_t pid = spawn_isolated(spec, *fn);
        if (pid < 0) {
            JLOG("error", "fork failed for " << spec.name);
            continue;
        }
        g_children.track(pid, spec.name);
        JLOG("job", spec.name << " started isolated as pid " << pid);
        results.push_back(JobResult{spec.name, 0, "(pending)", true});
    }

    int failed = static_cast<int>(std::count_if(results.begin(), results.end(),
                                                [](const JobResult& r) { return r.code != 0; }));
    JLOG("main", results.size() << " jobs, " << failed << " failed, " << g_children.size()
                                << " isolated; " << g_log.sealed_lines() << " lines archived");
    return failed == 0 ? 0 : 1;
}
