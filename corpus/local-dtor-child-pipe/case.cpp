// logstat -- summarises an access log: hits per path, status classes and
// latency percentiles.
//
// The log is the built-in sample below.  Parsing is split over a few worker
// threads; the "top paths" table is piped through an external sort(1) so its
// order matches what the ops scripts produce.
#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

const char* const kOptions = R"(
report.title      = access log summary
report.top        = 5
report.sorter     = /usr/bin/sort
report.sorter_args = -k2,2nr -k1,1
parse.workers     = 3
)";

// method path status bytes latency_ms
const char* const kAccessLog = R"(
GET /index.html 200 5120 12
GET /api/users 200 830 48
POST /api/users 201 120 95
GET /api/users 200 830 51
GET /static/app.js 200 90211 8
GET /static/app.css 304 0 3
GET /api/orders 500 64 230
GET /api/orders 200 1400 88
GET /index.html 200 5120 10
DELETE /api/users/7 204 0 70
GET /api/users 200 830 45
GET /missing 404 210 4
GET /static/app.js 304 0 2
GET /api/orders 200 1400 91
POST /api/orders 201 300 140
GET /api/users 200 830 47
GET /index.html 200 5120 11
this line is garbage
GET /api/orders 200 1400 86
)";

// ---------------------------------------------------------------- logging

std::mutex g_log_mu;

#define LS_LOG(expr)                                    \
    do {                                                \
        std::ostringstream ls_os_;                      \
        ls_os_ << expr;                                 \
        std::lock_guard<std::mutex> ls_lk_(g_log_mu);   \
        std::cerr << "logstat: " << ls_os_.str() << "\n"; \
    } while (0)

// ---------------------------------------------------------------- options

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::map<std::string, std::string> parse_options(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        auto eq = line.find('=');
        if (eq != std::string::npos) out[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
    }
    return out;
}

template <typename T>
T option(const std::map<std::string, std::string>& opts, const std::string& key, T fallback) {
    auto it = opts.find(key);
    if (it == opts.end()) return fallback;
    std::istringstream in(it->second);
    T value{};
    return (in >> value) ? value : fallback;
}

template <>
std::string option(const std::map<std::string, std::string>& opts, const std::string& key, std::string fallback) {
    auto it = opts.find(key);
    return it == opts.end() ? fallback : it->second;
}

// ---------------------------------------------------------------- parsing

struct Hit {
    std::string method;
    std::string path;
    int status = 0;
    long bytes = 0;
    int latency_ms = 0;
};

struct Partial {
    std::vector<Hit> hits;
    int rejected = 0;
};

Partial parse_lines(const std::vector<std::string>& lines, size_t begin, size_t end) {
    Partial p;
    for (size_t i = begin; i < end; ++i) {
        std::istringstream in(lines[i]);
        Hit h;
        if (in >> h.method >> h.path >> h.status >> h.bytes >> h.latency_ms)
            p.hits.push_back(h);
        else
            ++p.rejected;
    }
    return p;
}

std::vector<std::string> nonempty_lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!trim(line).empty()) out.push_back(line);
    return out;
}

// ---------------------------------------------------------------- statistics

template <typename T>
class Percentiles {
public:
    void add(T v) { values_.push_back(v); }
    T at(double q) {
        if (values_.empty()) return T{};
        std::sort(values_.begin(), values_.end());
        size_t idx = static_cast<size_t>(q * static_cast<double>(values_.size() - 1) + 0.5);
        return values_[std::min(idx, values_.size() - 1)];
    }
    size_t count() const { return values_.size(); }

private:
    std::vector<T> values_;
};

std::string status_class(int status) { return std::to_string(status / 100) + "xx"; }

// ---------------------------------------------------------------- output

// Lines written to a SortedSink come out of sort(1) on our stdout.
class SortedSink {
public:
    SortedSink(const std::string& sorter, const std::string& args) {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0) return;
        std::fflush(stdout);
        pid_ = fork();
        if (pid_ == 0) {
            dup2(fds[0], STDIN_FILENO);  // dup2 clears O_CLOEXEC on stdin
            std::vector<std::string> words{sorter};
            std::istringstream in(args);
            for (std::string w; in >> w;) words.push_back(w);
            std::vector<char*> argv;
            for (auto& w : words) argv.push_back(&w[0]);
            argv.push_back(nullptr);
            execv(sorter.c_str(), argv.data());
            _exit(127);
        }
        close(fds[0]);
        if (pid_ < 0) {
            close(fds[1]);
            return;
        }
        out_ = fdopen(fds[1], "w");
    }
    SortedSink(const SortedSink&) = delete;
    SortedSink& operator=(const SortedSink&) = delete;

    // Collects the sorter's status, then releases the pipe.
    ~SortedSink() {
        if (pid_ > 0) {
            int status = 0;
            if (waitpid(pid_, &status, 0) == pid_ && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
                LS_LOG("sorter failed with status " << status);
        }
        if (out_) std::fclose(out_);
    }

    bool ok() const { return out_ != nullptr; }

    template <typename... Fields>
    void row(const Fields&... fields) {
        if (!out_) return;
        std::ostringstream os;
        const char* sep = "";
        ((os << sep << fields, sep = " "), ...);
        os << "\n";
        std::fputs(os.str().c_str(), out_);
        ++rows_;
    }
    int rows() const { return rows_; }

private:
    pid_t pid_ = -1;
    std::FILE* out_ = nullptr;
    int rows_ = 0;
};

}  // namespace

int main() {
    const auto opts = parse_options(kOptions);
    const auto lines = nonempty_lines(kAccessLog);
    const int workers = std::max(1, option<int>(opts, "parse.workers", 2));

    // Parse in chunks on a few threads.
    std::vector<Partial> partials(static_cast<size_t>(workers));
    std::vector<std::thread> threads;
    const size_t chunk = (lines.size() + static_cast<size_t>(workers) - 1) / static_cast<size_t>(workers);
    for (int w = 0; w < workers; ++w) {
        size_t begin = std::min(lines.size(), chunk * static_cast<size_t>(w));
        size_t end = std::min(lines.size(), begin + chunk);
        threads.emplace_back([&, w, begin, end] { partials[static_cast<size_t>(w)] = parse_lines(lines, begin, end); });
    }
    for (auto& t : threads) t.join();

    std::map<std::string, int> per_path;
    std::map<std::string, int> per_class;
    Percentiles<int> latency;
    long bytes = 0;
    int rejected = 0;
    for (const auto& p : partials) {
        rejected += p.rejected;
        for (const auto& h : p.hits) {
            ++per_path[h.path];
            ++per_class[status_class(h.status)];
            latency.add(h.latency_ms);
            bytes += h.bytes;
        }
    }
    if (rejected) LS_LOG(rejected << " unparsable line(s)");

    std::cout << "== " << option<std::string>(opts, "report.title", "summary") << " ==\n";
    std::cout << "requests: " << latency.count() << ", bytes: " << bytes << "\n";
    for (const auto& kv : per_class) std::cout << "status " << kv.first << ": " << kv.second << "\n";
    std::cout << "latency p50=" << latency.at(0.5) << "ms p95=" << latency.at(0.95) << "ms\n";
    std::cout << "top paths:" << std::endl;

    SortedSink top(option<std::string>(opts, "report.sorter", "/usr/bin/sort"),
                   option<std::string>(opts, "report.sorter_args", ""));
    if (!top.ok()) {
        LS_LOG("cannot start the sorter");
        return 1;
    }
    const int limit = option<int>(opts, "report.top", 3);
    std::vector<std::pair<int, std::string>> ranked;
    for (const auto& kv : per_path) ranked.emplace_back(kv.second, kv.first);
    std::sort(ranked.rbegin(), ranked.rend());
    for (int i = 0; i < limit && i < static_cast<int>(ranked.size()); ++i)
        top.row("  " + ranked[static_cast<size_t>(i)].second, ranked[static_cast<size_t>(i)].first);
    LS_LOG(top.rows() << " rows sent to the sorter");
    return 0;
}
