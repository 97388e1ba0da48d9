#!/bin/sh
# search.sh: encrypted Japanese substring search over 100,000 filed messages (release
# build). The first run builds the corpus (sealed rows + SearchIndex.add, 1,000 per
# transaction) in DIR and keeps it; later runs only measure. Prints, per query, the
# candidates decrypted, matching messages and inquiries and the latency, then the
# median and p95 over the 50 queries (target p95 < 50 ms) and the database size per
# message with and without the index (dbstat over the message_search shadow tables);
# then the web page's search (the first inbox page of 50 through InquirySearch.page)
# per query, checked against the page over every confirmed candidate.
# Usage: Tests/Benchmarks/search.sh [DIR] [messages] [rounds] [limit]
#        (default DIR /tmp/madoguchi-search-bench, 100000 messages, 3 rounds per query,
#        result limit as `madoguchi search` without --limit; 0 confirms up to the cap)
set -eu
cd "$(dirname "$0")/../.."
dir="${1:-/tmp/madoguchi-search-bench}"
messages="${2:-100000}"
rounds="${3:-3}"
limit="${4:-}"

swift build -c release --product madoguchi-bench >/dev/null
if [ -f "$dir/madoguchi.conf" ]; then
    echo "reusing the corpus in $dir (remove it to rebuild)"
fi
.build/release/madoguchi-bench search "$dir" "$messages" "$rounds" $limit
