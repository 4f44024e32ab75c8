// csvq -- runs a small pipeline of stages over a (built-in) CSV table.
//
// Stages register themselves at start-up; the configuration chooses which
// ones run and in which order.  Every stage run is traced: spans are
// buffered by the process-wide tracer and handed to the span exporter,
// which writes them out on its own thread.
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
#include <numeric>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

const char* const kTable =
    "city,country,population,area\n"
    "Lyon,FR,522969,47.87\n"
    "Porto,PT,231800,41.42\n"
    "Graz,AT,291072,127.6\n"
    "Turku,FI,195301,245.7\n"
    "Ghent,BE,265086,156.2\n"
    "Brno,CZ,382405,230.2\n"
    "Malmo,SE,357377,156.9\n";

const char* const kConfig = "pipeline=parse,density,filter,sort,print;filter.min_density=1500;batch=8";

// ---------------------------------------------------------------- spans

using Clock = std::chrono::steady_clock;

struct Span {
    std::string name;
    Clock::time_point start;
    Clock::duration length{};
};

// Writes finished spans on a background thread.  flush() is a barrier: it
// returns once everything submitted before it has been written.
class SpanExporter {
public:
    SpanExporter() : writer_([this] { run(); }) {}

    ~SpanExporter() {
        {
            std::lock_guard<std::mutex> lk(mu_);
            stop_ = true;
        }
        wake_.notify_all();
        writer_.join();
    }

    void submit(std::vector<Span> batch) {
        {
            std::lock_guard<std::mutex> lk(mu_);
            pending_.push_back(std::move(batch));
        }
        wake_.notify_one();
    }

    void flush() {
        std::unique_lock<std::mutex> lk(mu_);
        const std::uint64_t ticket = ++flush_requested_;
        wake_.notify_one();
        flushed_cv_.wait(lk, [&] { return flush_done_ >= ticket; });
    }

    std::map<std::string, std::pair<int, Clock::duration>> totals() {
        std::lock_guard<std::mutex> lk(mu_);
        return totals_;
    }

private:
    void run() {
        std::unique_lock<std::mutex> lk(mu_);
        for (;;) {
            wake_.wait(lk, [this] { return stop_ || !pending_.empty() || flush_done_ < flush_requested_; });
            if (stop_) return;
            while (!pending_.empty()) {
                std::vector<Span> batch = std::move(pending_.front());
                pending_.pop_front();
                for (const Span& s : batch) {
                    auto& t = totals_[s.name];
                    ++t.first;
                    t.second += s.length;
                }
            }
            flush_done_ = flush_requested_;
            flushed_cv_.notify_all();
        }
    }

    std::mutex mu_;
    std::condition_variable wake_;
    std::condition_variable flushed_cv_;
    std::deque<std::vector<Span>> pending_;
    std::map<std::string, std::pair<int, Clock::duration>> totals_;
    std::uint64_t flush_requested_ = 0;
    std::uint64_t flush_done_ = 0;
    bool stop_ = false;
    std::thread writer_;
};

// Buffers spans and hands them to the exporter in batches, from its own
// thread, so that traced code never waits for the exporter.
class Tracer {
public:
    Tracer() : flusher_([this] { run(); }) {}

    ~Tracer() {
        {
            std::lock_guard<std::mutex> lk(mu_);
            stop_ = true;
        }
        cv_.notify_all();
        flusher_.join();
    }

    void attach(SpanExporter& e) {
        std::lock_guard<std::mutex> lk(mu_);
        exporter_ = &e;
    }
    void set_batch(std::size_t n) {
        std::lock_guard<std::mutex> lk(mu_);
        batch_ = std::max<std::size_t>(n, 1);
    }

    void record(Span s) {
        std::lock_guard<std::mutex> lk(mu_);
        buffer_.push_back(std::move(s));
        if (buffer_.size() >= batch_) cv_.notify_one();
    }

    // Hands over everything buffered and waits until it is written.
    void flush() {
        SpanExporter* e = hand_over();
        if (e) e->flush();
    }

private:
    SpanExporter* hand_over() {
        std::lock_guard<std::mutex> lk(mu_);
        if (exporter_ && !buffer_.empty()) exporter_->submit(std::exchange(buffer_, {}));
        return exporter_;
    }

    void run() {
        std::unique_lock<std::mutex> lk(mu_);
        for (;;) {
            cv_.wait(lk, [this] { return stop_ || (exporter_ && buffer_.size() >= batch_); });
            const bool stopping = stop_;
            lk.unlock();
            if (stopping) {
                flush();  // last spans out before the process goes
                return;
            }
            hand_over();
            lk.lock();
        }
    }

    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<Span> buffer_;
    std::size_t batch_ = 16;
    SpanExporter* exporter_ = nullptr;
    bool stop_ = false;
    std::thread flusher_;
};

Tracer& tracer() {
    static Tracer instance;
    return instance;
}

class ScopedSpan {
public:
    explicit ScopedSpan(std::string name) : span_{std::move(name), Clock::now(), {}} {}
    ~ScopedSpan() {
        span_.length = Clock::now() - span_.start;
        tracer().record(std::move(span_));
    }
    ScopedSpan(const ScopedSpan&) = delete;
    ScopedSpan& operator=(const ScopedSpan&) = delete;

private:
    Span span_;
};

#define CSVQ_CONCAT2(a, b) a##b
#define CSVQ_CONCAT(a, b) CSVQ_CONCAT2(a, b)
#define TRACE_SCOPE(name) ScopedSpan CSVQ_CONCAT(trace_scope_, __LINE__)(name)

// ---------------------------------------------------------------- table

struct Row {
    std::vector<std::string> cells;
    double density = 0.0;
};

struct Table {
    std::vector<std::string> header;
    std::vector<Row> rows;

    int column(const std::string& name) const {
        auto it = std::find(header.begin(), header.end(), name);
        return it == header.end() ? -1 : static_cast<int>(it - header.begin());
    }
};

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string item; std::getline(in, item, sep);) out.push_back(item);
    return out;
}

std::map<std::string, std::string> parse_options(const std::string& spec) {
    std::map<std::string, std::string> out;
    for (const auto& item : split(spec, ';')) {
        auto eq = item.find('=');
        if (eq != std::string::npos) out[item.substr(0, eq)] = item.substr(eq + 1);
    }
    return out;
}

// ---------------------------------------------------------------- stages

struct Context {
    std::map<std::string, std::string> options;
    Table table;
    std::ostringstream out;
};

using Stage = std::function<bool(Context&)>;

class StageRegistry {
public:
    static StageRegistry& get() {
        static StageRegistry r;
        return r;
    }
    bool add(const std::string& name, Stage fn) {
        stages_[name] = std::move(fn);
        tracer().record(Span{"register." + name, Clock::now(), {}});
        return true;
    }
    const Stage* find(const std::string& name) const {
        auto it = stages_.find(name);
        return it == stages_.end() ? nullptr : &it->second;
    }

private:
    std::map<std::string, Stage> stages_;
};

#define REGISTER_STAGE(name, fn) const bool stage_##name##_registered = StageRegistry::get().add(#name, fn)

bool stage_parse(Context& c) {
    auto lines = split(kTable, '\n');
    if (lines.empty()) return false;
    c.table.header = split(lines[0], ',');
    for (std::size_t i = 1; i < lines.size(); ++i)
        if (!lines[i].empty()) c.table.rows.push_back(Row{split(lines[i], ','), 0.0});
    return true;
}

bool stage_density(Context& c) {
    int pop = c.table.column("population"), area = c.table.column("area");
    if (pop < 0 || area < 0) return false;
    for (auto& r : c.table.rows) r.density = std::stod(r.cells[pop]) / std::stod(r.cells[area]);
    return true;
}

bool stage_filter(Context& c) {
    double min = std::stod(c.options["filter.min_density"]);
    auto& rows = c.table.rows;
    rows.erase(std::remove_if(rows.begin(), rows.end(), [min](const Row& r) { return r.density < min; }),
               rows.end());
    return true;
}

bool stage_sort(Context& c) {
    std::sort(c.table.rows.begin(), c.table.rows.end(),
              [](const Row& a, const Row& b) { return a.density > b.density; });
    return true;
}

bool stage_print(Context& c) {
    for (const auto& r : c.table.rows)
        c.out << std::left << std::setw(8) << r.cells[0] << r.cells[1] << "  " << std::right << std::fixed
              << std::setprecision(0) << std::setw(7) << r.density << " /km2\n";
    return true;
}

REGISTER_STAGE(parse, stage_parse);
REGISTER_STAGE(density, stage_density);
REGISTER_STAGE(filter, stage_filter);
REGISTER_STAGE(sort, stage_sort);
REGISTER_STAGE(print, stage_print);

// ---------------------------------------------------------------- export

SpanExporter g_exporter;

template <typename Rep, typename Period>
double to_us(std::chrono::duration<Rep, Period> d) {
    return std::chrono::duration<double, std::micro>(d).count();
}

int run_pipeline(Context& ctx) {
    for (const auto& name : split(ctx.options["pipeline"], ',')) {
        const Stage* stage = StageRegistry::get().find(name);
        if (!stage) {
            std::cerr << "csvq: unknown stage '" << name << "'\n";
            return 2;
        }
        TRACE_SCOPE("stage." + name);
        if (!(*stage)(ctx)) {
            std::cerr << "csvq: stage '" << name << "' failed\n";
            return 1;
        }
    }
    return 0;
}

}  // namespace

int main() {
    Context ctx;
    ctx.options = parse_options(kConfig);
    tracer().attach(g_exporter);
    tracer().set_batch(static_cast<std::size_t>(std::stoul(ctx.options["batch"])));

    const int rc = run_pipeline(ctx);
    std::cout << ctx.out.str() << std::flush;

    tracer().flush();
    for (const auto& kv : g_exporter.totals())
        std::cout << "trace " << std::left << std::setw(16) << kv.first << " x" << kv.second.first << "  "
                  << std::fixed << std::setprecision(1) << to_us(kv.second.second) << " us" << std::endl;
    return rc;
}
