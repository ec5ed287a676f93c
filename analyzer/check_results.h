// SPDX-License-Identifier: Apache-2.0
// The results of one pair's checks, one per rule. A result is immutable once made and shared by
// every pair it belongs to: a check that reads neither port nor group gives one result for all
// the ports of an endpoint and target, which is then kept once, not once per pair.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <vector>

#include "analyzer/rule.h"

namespace cvpn {

class CheckResults {
 public:
  /// Iterates the results as `const CheckResult&`.
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = CheckResult;
    using difference_type = std::ptrdiff_t;
    using pointer = const CheckResult*;
    using reference = const CheckResult&;

    const_iterator() = default;
    explicit const_iterator(std::vector<std::shared_ptr<const CheckResult>>::const_iterator it)
        : it_(it) {}
    reference operator*() const { return **it_; }
    pointer operator->() const { return it_->get(); }
    const_iterator& operator++() {
      ++it_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++it_;
      return before;
    }
    const_iterator& operator--() {
      --it_;
      return *this;
    }
    const_iterator operator--(int) {
      const_iterator before = *this;
      --it_;
      return before;
    }
    const_iterator& operator+=(difference_type n) {
      it_ += n;
      return *this;
    }
    const_iterator& operator-=(difference_type n) {
      it_ -= n;
      return *this;
    }
    friend const_iterator operator+(const_iterator a, difference_type n) { return a += n; }
    friend const_iterator operator+(difference_type n, const_iterator a) { return a += n; }
    friend const_iterator operator-(const_iterator a, difference_type n) { return a -= n; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
      return a.it_ - b.it_;
    }
    reference operator[](difference_type n) const { return *it_[n]; }
    friend bool operator==(const const_iterator&, const const_iterator&) = default;
    friend auto operator<=>(const const_iterator&, const const_iterator&) = default;

   private:
    std::vector<std::shared_ptr<const CheckResult>>::const_iterator it_;
  };

  CheckResults() = default;
  /// Results of their own, not shared (hand-made reports, tests).
  CheckResults(const std::vector<CheckResult>& checks) {  // NOLINT(google-explicit-constructor)
    results_.reserve(checks.size());
    for (const CheckResult& c : checks) {
      results_.push_back(std::make_shared<const CheckResult>(c));
    }
  }

  void reserve(size_t n) { results_.reserve(n); }
  /// Adds a result that other pairs may share.
  void push_back(std::shared_ptr<const CheckResult> result) {
    results_.push_back(std::move(result));
  }
  void push_back(CheckResult result) {
    results_.push_back(std::make_shared<const CheckResult>(std::move(result)));
  }

  size_t size() const { return results_.size(); }
  bool empty() const { return results_.empty(); }
  const CheckResult& operator[](size_t i) const { return *results_[i]; }
  const_iterator begin() const { return const_iterator(results_.begin()); }
  const_iterator end() const { return const_iterator(results_.end()); }

 private:
  std::vector<std::shared_ptr<const CheckResult>> results_;
};

}  // namespace cvpn
