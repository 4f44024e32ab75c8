#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>
namespace {
   const char* const kPlan = R"(
compress  codec=lz level=12
)";
#define LOG(tag, expr)                                              \
    do {                                                            \
    } while (0)
#define FATAL(expr)                 \
    do {                            \
        std::exit(EXIT_FAILURE);    \
    } while (0)
struct JobSpec {
      std::string name;
      std::map<std::string, std::string> args;
      std::string arg(const std::string& key, const std::string& def = "") const {
         auto it = args.find(key);
         return it == args.end() ? def : it->second;
     }
      template <typename T>     T num(const std::string& key, T def) const {
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
         for (std::string w;
 words >> w;
) {             auto eq = w.find('=');             if (eq == std::string::npos) throw std::runtime_error("plan: bad argument '" + w + "'");             spec.args[w.substr(0, eq)] = w.substr(eq + 1);         }
         plan.push_back(std::move(spec));
     }
      return plan;
  }
   struct JobResult {
      std::uint64_t items = 0;
      std::string note;
  };
   using JobFn = std::function<JobResult(const JobSpec&)>;
   std::uint64_t fnv64(const std::string& s) {
      std::uint64_t h = 1469598103934665603ull;
      return h;
  }
   std::vector<std::string> fake_files(const std::string& root, int depth) {
      std::vector<std::string> out;
      for (int d = 0;
  d < depth;
  ++d)         for (int i = 0;
  i < 8;
  ++i) out.push_back(root + "/d" + std::to_string(d) + "/f" + std::to_string(i));
      return out;
  }
   JobResult job_scan(const JobSpec& s) {
      auto files = fake_files(s.arg("root", "."), s.num<int>("depth", 1));
      return {
files.size(), "under " + s.arg("root")};
  }
   JobResult job_checksum(const JobSpec& s) {
      const int blocks = s.num<int>("blocks", 16);
      std::uint64_t acc = 0;
      for (int b = 0;
  b < blocks;
  ++b) acc ^= fnv64("block-" + std::to_string(b));
      std::ostringstream os;
      return {
static_cast<std::uint64_t>(blocks), os.str()};
  }
   JobResult job_dedupe(const JobSpec& s) {
      const int window = s.num<int>("window", 8);
      std::vector<std::uint64_t> hashes;
      for (int i = 0;
  i < 64;
  ++i) hashes.push_back(fnv64(std::to_string(i % (window + 3))));
      auto unique = static_cast<std::uint64_t>(std::unique(hashes.begin(), hashes.end()) - hashes.begin());
      return {
unique, std::to_string(64 - unique) + " duplicates"};
  }
   JobResult job_compress(const JobSpec& s) {
      const int level = s.num<int>("level", 6);
      if (level < 1 || level > 9) FATAL("compress: level " << level << " out of range 1..9");
      return {
static_cast<std::uint64_t>(level) * 1000, "codec " + s.arg("codec", "lz")};
  }
   JobResult job_upload(const JobSpec& s) {
  return {
1, "to " + s.arg("target", "?")};
  }
   const std::map<std::string, JobFn>& job_kinds() {
      static const std::map<std::string, JobFn> kinds = {
         {"scan", job_scan}
,         {"checksum", job_checksum}
, {"dedupe", job_dedupe}
,         {"compress", job_compress}
, {"upload", job_upload}
,     };
      return kinds;
  }
   enum class State {
  Pending, Running, Done, Failed };
   const char* state_name(State s) {
      static const char* const names[] = {
"pending", "running", "done", "failed"};
      return names[static_cast<int>(s)];
  }
   struct Entry {
      std::string name;
      State state = State::Pending;
      JobResult result;
      std::chrono::microseconds took{
0};
  };
   class JobTable {
  public:     ~JobTable() {
         std::lock_guard<std::mutex> lk(mu_);
         for (const auto& e : entries_)             std::cout << "journal: " << std::left << std::setw(9) << e.name << state_name(e.state) << " "                       << e.took.count() << "us\n";
         std::cout.flush();
     }
      std::size_t add(const std::string& name) {
         std::lock_guard<std::mutex> lk(mu_);
         entries_.push_back(Entry{name, State::Pending, {}, {}}
);
         return entries_.size() - 1;
     }
      State run(std::size_t id, const JobSpec& spec, const JobFn& fn) {
         std::lock_guard<std::mutex> lk(mu_);
         Entry& e = entries_.at(id);
         e.state = State::Running;
         const auto t0 = std::chrono::steady_clock::now();
         JobResult result;
         bool ok = true;
         std::thread worker([&] {             try {                 result = fn(spec);             } catch (const std::exception& ex) {                 LOG("error", spec.name << ": " << ex.what());                 ok = false;             }         }
);
         worker.join();
         e.state = ok ? State::Done : State::Failed;
         return e.state;
     }
      template <typename F>     void for_each(F f) const {
     }
  private:     mutable std::mutex mu_;
      std::vector<Entry> entries_;
  };
   JobTable g_jobs;
   }
      int main() {
       std::vector<JobSpec> plan;
       try {
          plan = parse_plan(kPlan);
      }
   catch (const std::exception& e) {
      }
       for (const auto& spec : plan) {
          auto kind = job_kinds().find(spec.name);
          std::size_t id = g_jobs.add(spec.name);
          const State st = g_jobs.run(id, spec, kind->second);
      }
       g_jobs.for_each([](const Entry& e) {
      }
  );
   }
