// The module pages stay true to the code (DESIGN.md: every message and error of a module is
// documented): for every kind of the btt.v1.Message oneof (from its descriptor), the page
// doc/<module>.md of the module whose handler claims it has a table row naming the message type
// (`MsgGrantRole`); every ErrorDef of every module's errors.h is a row of its page's error table
// ("## Errors (code space N)"), by detail number or name. A new message or error without its row
// fails here. Every rpc of every btt.v1 service (from the .proto files) is named in doc/api.md,
// in its service's row of "Services at a glance" and in its "## btt.v1.<Service>" section. The
// pages are read from the source tree (BTT_SOURCE_DIR).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "btt/chain/registry.h"
#include "btt/v1/tx.pb.h"

namespace btt {
namespace {

const std::filesystem::path kSource = BTT_SOURCE_DIR;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool is_row(const std::string& line) {
  return line.rfind("|", 0) == 0 && line.find("|---") != 0;
}

// The cells of a table row, trimmed.
std::vector<std::string> cells(const std::string& row) {
  std::vector<std::string> out;
  std::string cell;
  for (size_t i = 1; i < row.size(); ++i) {
    if (row[i] == '|' && row[i - 1] != '\\') {
      const auto b = cell.find_first_not_of(' ');
      const auto e = cell.find_last_not_of(' ');
      out.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  return out;
}

bool names_word(const std::string& line, const std::string& word) {
  return std::regex_search(line, std::regex("(^|[^A-Za-z0-9_])" + word + "([^A-Za-z0-9_]|$)"));
}

std::filesystem::path page_of(std::string_view module) {
  return kSource / "doc" / (std::string(module) + ".md");
}

// The module whose handler claims each Message field number.
std::map<int, std::string> owners(const chain::ModuleRegistry& registry) {
  std::map<int, std::string> out;
  for (const auto& m : registry.modules()) {
    for (const auto* h : m->handlers()) out[h->msg_case()] = std::string(m->name());
  }
  return out;
}

TEST(DocsTest, EveryMessageKindHasARowInItsModulePage) {
  const auto registry = chain::make_default_registry();
  const auto owner = owners(*registry);
  const auto* oneof = v1::Message::descriptor()->FindOneofByName("msg");
  ASSERT_NE(oneof, nullptr);
  ASSERT_GT(oneof->field_count(), 0);
  for (int i = 0; i < oneof->field_count(); ++i) {
    const auto* field = oneof->field(i);
    const std::string type = field->message_type()->name();  // "MsgGrantRole"
    std::string module;
    if (auto it = owner.find(field->number()); it != owner.end()) module = it->second;
    ASSERT_FALSE(module.empty()) << field->name() << " (" << type << ") has no module's handler";
    const auto page = page_of(module);
    ASSERT_TRUE(std::filesystem::exists(page)) << module << " has no page " << page;
    bool found = false;
    for (const auto& line : lines_of(read_text(page))) {
      found = found || (is_row(line) && names_word(line, type));
    }
    EXPECT_TRUE(found) << page.filename().string() << " has no table row naming `" << type
                       << "` (Message." << field->name() << " = " << field->number() << ")";
  }
}

struct DeclaredError {
  uint32_t detail;
  std::string name;
};

// The ErrorDefs as errors.h spells them: `inline constexpr ErrorDef kX{4001, Code::kY, "name"};`
std::vector<DeclaredError> declared_errors(std::string_view module) {
  const std::string text =
      read_text(kSource / "include/btt/modules" / std::string(module) / "errors.h");
  static const std::regex kDef(
      R"re(ErrorDef\s+\w+\s*\{\s*(\d+)\s*,\s*Code::\w+\s*,\s*"(\w+)"\s*\})re");
  std::vector<DeclaredError> out;
  for (std::sregex_iterator it(text.begin(), text.end(), kDef), end; it != end; ++it) {
    out.push_back({static_cast<uint32_t>(std::stoul((*it)[1])), (*it)[2]});
  }
  return out;
}

TEST(DocsTest, EveryErrorDefIsARowOfItsModulesErrorTable) {
  const auto registry = chain::make_default_registry();
  size_t checked = 0;
  for (const auto& m : registry->modules()) {
    const std::string module(m->name());
    const auto declared = declared_errors(module);
    // errors.h and the module's errors() list the same details.
    std::map<uint32_t, std::string> listed;
    for (const auto* e : m->errors()) listed[e->detail] = std::string(e->name);
    std::map<uint32_t, std::string> in_header;
    for (const auto& e : declared) in_header[e.detail] = e.name;
    EXPECT_EQ(in_header, listed) << module << ": errors.h and " << module << "'s errors() differ";
    EXPECT_FALSE(declared.empty()) << module << ": no ErrorDef found in errors.h";

    // The page's error table: the rows under "## Errors (code space N)".
    const auto lines = lines_of(read_text(page_of(module)));
    const std::string heading = "## Errors (code space " + std::to_string(m->codespace()) + ")";
    std::vector<std::vector<std::string>> rows;
    bool in_section = false;
    bool seen = false;
    for (const auto& line : lines) {
      if (line.rfind("## ", 0) == 0) {
        in_section = line == heading;
        seen = seen || in_section;
        continue;
      }
      if (in_section && is_row(line)) rows.push_back(cells(line));
    }
    ASSERT_TRUE(seen) << page_of(module).filename().string() << " has no \"" << heading << "\"";
    for (const auto& e : declared) {
      ++checked;
      const std::string number = std::to_string(e.detail);
      const std::string name = "`" + e.name + "`";
      bool by_number = false;
      bool by_name = false;
      for (const auto& row : rows) {
        if (row.empty()) continue;
        if (row[0] == number) {
          by_number = true;
          // A row of this detail names this error, not another.
          EXPECT_TRUE(std::find(row.begin(), row.end(), name) != row.end())
              << module << ".md: the row of " << number << " does not name " << name;
        }
        by_name = by_name || std::find(row.begin(), row.end(), name) != row.end();
      }
      EXPECT_TRUE(by_number || by_name)
          << module << ".md's error table has no row for " << number << " " << name;
    }
  }
  EXPECT_GT(checked, 20u);
}

// Services and their rpcs as the .proto files of proto/btt/v1 declare them.
std::map<std::string, std::vector<std::string>> declared_rpcs() {
  std::map<std::string, std::vector<std::string>> out;
  static const std::regex kService(R"re(^service\s+(\w+)\s*\{)re");
  static const std::regex kRpc(R"re(^\s*rpc\s+(\w+)\s*\()re");
  for (const auto& entry : std::filesystem::directory_iterator(kSource / "proto/btt/v1")) {
    if (entry.path().extension() != ".proto") continue;
    std::string service;
    for (const auto& line : lines_of(read_text(entry.path()))) {
      std::smatch m;
      if (std::regex_search(line, m, kService)) {
        service = m[1];
        out[service];
      } else if (line.rfind("}", 0) == 0) {
        service.clear();
      } else if (!service.empty() && std::regex_search(line, m, kRpc)) {
        out[service].push_back(m[1]);
      }
    }
  }
  return out;
}

TEST(DocsTest, EveryRpcIsNamedInApiMd) {
  const auto services = declared_rpcs();
  ASSERT_GE(services.size(), 10u);
  const auto lines = lines_of(read_text(kSource / "doc" / "api.md"));
  size_t checked = 0;
  for (const auto& [service, rpcs] : services) {
    const std::string full = "btt.v1." + service;
    // Its rows of the table at a glance: the row naming it, and the rows after it whose first
    // cell is empty.
    std::string glance;
    bool in_rows = false;
    for (const auto& line : lines) {
      if (!is_row(line)) {
        in_rows = false;
        continue;
      }
      const auto c = cells(line);
      if (c.size() < 2) continue;
      if (c[0] == "`" + full + "`") {
        in_rows = true;
      } else if (!c[0].empty()) {
        in_rows = false;
      }
      if (in_rows) glance += c[1] + " ";
    }
    EXPECT_FALSE(glance.empty()) << "api.md: no row for `" << full << "` in Services at a glance";
    // Its section.
    std::string section;
    bool in_section = false;
    for (const auto& line : lines) {
      if (line.rfind("## ", 0) == 0) in_section = line == "## " + full;
      if (in_section) section += line + "\n";
    }
    EXPECT_FALSE(section.empty()) << "api.md has no section \"## " << full << "\"";
    for (const auto& rpc : rpcs) {
      ++checked;
      EXPECT_NE(glance.find("`" + rpc + "`"), std::string::npos)
          << "api.md: the row of " << full << " does not name `" << rpc << "`";
      EXPECT_TRUE(names_word(section, rpc)) << "api.md: ## " << full << " does not name " << rpc;
    }
  }
  EXPECT_GT(checked, 40u);
}

}  // namespace
}  // namespace btt
