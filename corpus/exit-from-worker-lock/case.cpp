// archivectl -- runs the jobs of a (built-in) archiving plan one after the other.
//
// Every job runs on a fresh worker thread; the job table records what ran,
// how long it took and how it ended, and writes a journal line for every
// job when the process goes away.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

const char* const kPlan = R"(
# archivectl plan: job  key=value ...
scan      root=/srv/data depth=3
checksum  algo=fnv64 blocks=64
dedupe    window=16
compress  codec=lz level=12
upload    target=archive-01 retries=2
)";

// ---------------------------------------------------------------- logging

std::mutex g_log_mu;

#define LOG(tag, expr)                                              \
    do {                                                            \
        std::ostringstream log_os_;                                 \
        log_os_ << expr;                                            \
        std::lock_guard<std::mutex> log_lk_(g_log_mu);              \
        std::cout << "[" << tag << "] " << log_os_.str() << std::endl; \
    } while (0)

// Unrecoverable configuration errors end the process.
#define FATAL(expr)                 \
    do {                            \
        LOG("fatal", expr);         \
        std::exit(EXIT_FAILURE);    \
    } while (0)

// ---------------------------------------------------------------- plan

struct JobSpec {
    std::string name;
    std::map<std::string, std::string> args;

    std::string arg(const std::string& key, const std::string& def = "") const {
        auto it = args.find(key);
        return it == args.end() ? def : it->second;
    }
    template <typename T>
    T num(const std::string& key, T def) const {
        std::istringstream in(arg(key));
        T v{};
        return (in >> v) ? v : def;
    }
};

std::vector<JobSpec> parse_plan(const std::string& text) {
    std::vector<JobSpec> plan;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        JobSpec spec;
        if (!(words >> spec.name) || spec.name[0] == '#') continue;
        for (std::string w; words >> w;) {
            auto eq = w.find('=');
            if (eq == std::string::npos) throw std::runtime_error("plan: bad argument '" + w + "'");
            spec.args[w.substr(0, eq)] = w.substr(eq + 1);
        }
        plan.push_back(std::move(spec));
    }
    return plan;
}

// ---------------------------------------------------------------- jobs

struct JobResult {
    std::uint64_t items = 0;
    std::string note;
};

using JobFn = std::function<JobResult(const JobSpec&)>;

std::uint64_t fnv64(const std::string& s) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

std::vector<std::string> fake_files(const std::string& root, int depth) {
    std::vector<std::string> out;
    for (int d = 0; d < depth; ++d)
        for (int i = 0; i < 8; ++i) out.push_back(root + "/d" + std::to_string(d) + "/f" + std::to_string(i));
    return out;
}

JobResult job_scan(const JobSpec& s) {
    auto files = fake_files(s.arg("root", "."), s.num<int>("depth", 1));
    return {files.size(), "under " + s.arg("root")};
}

JobResult job_checksum(const JobSpec& s) {
    const int blocks = s.num<int>("blocks", 16);
    std::uint64_t acc = 0;
    for (int b = 0; b < blocks; ++b) acc ^= fnv64("block-" + std::to_string(b));
    std::ostringstream os;
    os << s.arg("algo", "fnv64") << " " << std::hex << acc;
    return {static_cast<std::uint64_t>(blocks), os.str()};
}

JobResult job_dedupe(const JobSpec& s) {
    const int window = s.num<int>("window", 8);
    std::vector<std::uint64_t> hashes;
    for (int i = 0; i < 64; ++i) hashes.push_back(fnv64(std::to_string(i % (window + 3))));
    std::sort(hashes.begin(), hashes.end());
    auto unique = static_cast<std::uint64_t>(std::unique(hashes.begin(), hashes.end()) - hashes.begin());
    return {unique, std::to_string(64 - unique) + " duplicates"};
}

JobResult job_compress(const JobSpec& s) {
    const int level = s.num<int>("level", 6);
    if (level < 1 || level > 9) FATAL("compress: level " << level << " out of range 1..9");
    return {static_cast<std::uint64_t>(level) * 1000, "codec " + s.arg("codec", "lz")};
}

JobResult job_upload(const JobSpec& s) { return {1, "to " + s.arg("target", "?")}; }

const std::map<std::string, JobFn>& job_kinds() {
    static const std::map<std::string, JobFn> kinds = {
        {"scan", job_scan},         {"checksum", job_checksum}, {"dedupe", job_dedupe},
        {"compress", job_compress}, {"upload", job_upload},
    };
    return kinds;
}

// ---------------------------------------------------------------- job table

enum class State { Pending, Running, Done, Failed };

const char* state_name(State s) {
    static const char* const names[] = {"pending", "running", "done", "failed"};
    return names[static_cast<int>(s)];
}

struct Entry {
    std::string name;
    State state = State::Pending;
    JobResult result;
    std::chrono::microseconds took{0};
};

class JobTable {
public:
    ~JobTable() {
        std::lock_guard<std::mutex> lk(mu_);
        for (const auto& e : entries_)
            std::cout << "journal: " << std::left << std::setw(9) << e.name << state_name(e.state) << " "
                      << e.took.count() << "us\n";
        std::cout.flush();
    }

    std::size_t add(const std::string& name) {
        std::lock_guard<std::mutex> lk(mu_);
        entries_.push_back(Entry{name, State::Pending, {}, {}});
        return entries_.size() - 1;
    }

    // Runs job `id` on its own thread.  Jobs must not overlap, so the
    // table lock is held for the whole run; that also keeps readers from
    // seeing a half-updated entry.
    State run(std::size_t id, const JobSpec& spec, const JobFn& fn) {
        std::lock_guard<std::mutex> lk(mu_);
        Entry& e = entries_.at(id);
        e.state = State::Running;
        const auto t0 = std::chrono::steady_clock::now();
        JobResult result;
        bool ok = true;
        std::thread worker([&] {
            try {
                result = fn(spec);
            } catch (const std::exception& ex) {
                LOG("error", spec.name << ": " << ex.what());
                ok = false;
            }
        });
        worker.join();
        e.took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
        e.result = result;
        e.state = ok ? State::Done : State::Failed;
        return e.state;
    }

    template <typename F>
    void for_each(F f) const {
        std::lock_guard<std::mutex> lk(mu_);
        std::for_each(entries_.begin(), entries_.end(), f);
    }

private:
    mutable std::mutex mu_;
    std::vector<Entry> entries_;
};

JobTable g_jobs;

}  // namespace

int main() {
    std::vector<JobSpec> plan;
    try {
        plan = parse_plan(kPlan);
    } catch (const std::exception& e) {
        LOG("error", e.what());
        return 2;
    }
    LOG("info", "plan has " << plan.size() << " jobs");

    int failures = 0;
    for (const auto& spec : plan) {
        auto kind = job_kinds().find(spec.name);
        if (kind == job_kinds().end()) {
            LOG("warn", "skipping unknown job '" << spec.name << "'");
            continue;
        }
        std::size_t id = g_jobs.add(spec.name);
        const State st = g_jobs.run(id, spec, kind->second);
        LOG("info", "job " << id << " (" << spec.name << "): " << state_name(st));
        if (st != State::Done) ++failures;
    }

    g_jobs.for_each([](const Entry& e) {
        LOG("info", e.name << ": " << state_name(e.state) << ", " << e.result.items << " items, " << e.result.note);
    });
    return failures ? 1 : 0;
}
