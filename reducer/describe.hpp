// Human-readable verdicts: the timeline, what every thread was doing, the signature.
#pragma once
#include <ostream>
#include <string>

#include "oracle/oracle.hpp"

namespace minrepro {

std::string describe_oracle(const oracle::OracleConfig& oc);
// "1.250 s" (padded to `width` characters): the format of verdicts and reports (numbers: format_number).
std::string format_seconds(double s, int width = 0);
void print_run(std::ostream& out, const oracle::RunEvidence& ev, bool backtraces);
void print_verdict(std::ostream& out, const oracle::Verdict& v, bool backtraces);

}  // namespace minrepro
