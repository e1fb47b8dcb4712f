// PutPacer on an injected clock: at most one put per interval, the last change of a burst put
// when the interval ends (trailing edge), a change after a quiet interval put at once.
#include "identity/putpacer.h"

#include <gtest/gtest.h>

using plenum::identity::PutPacer;

TEST(PutPacer, AChangeAfterAQuietIntervalIsPutAtOnce)
{
    PutPacer pacer(5000);
    ASSERT_TRUE(pacer.changed(1000)); // nothing put yet
    pacer.put(1000);
    EXPECT_FALSE(pacer.due().has_value());
    ASSERT_TRUE(pacer.changed(6000)); // 5 s later
    pacer.put(6000);
    ASSERT_TRUE(pacer.changed(20000));
}

TEST(PutPacer, ChangesInsideTheIntervalAreOwedAndPutWhenItEnds)
{
    PutPacer pacer(5000);
    ASSERT_TRUE(pacer.changed(0));
    pacer.put(0);
    EXPECT_FALSE(pacer.changed(300));
    EXPECT_FALSE(pacer.changed(600));
    EXPECT_FALSE(pacer.changed(4999));
    ASSERT_EQ(pacer.due(), 5000); // measured from the last put, not from the first change
    EXPECT_FALSE(pacer.onTimer(4990)) << "a timer that fires early waits for the rest";
    EXPECT_TRUE(pacer.onTimer(5000));
    pacer.put(5000);
    EXPECT_FALSE(pacer.due().has_value());
    EXPECT_FALSE(pacer.onTimer(20000)) << "nothing owed after the trailing put";
}

TEST(PutPacer, AnUnpacedPutCarriesWhatWasOwedAndStartsANewInterval)
{
    PutPacer pacer(5000);
    ASSERT_TRUE(pacer.changed(0));
    pacer.put(0);
    EXPECT_FALSE(pacer.changed(1000));
    pacer.put(2000); // e.g. the user set "busy": the newest content went out with it
    EXPECT_FALSE(pacer.due().has_value());
    EXPECT_FALSE(pacer.onTimer(5000));
    EXPECT_FALSE(pacer.changed(3000));
    EXPECT_EQ(pacer.due(), 7000);
}

// A link-drop cascade: the content changes every 300 ms for a minute. Unpaced that is 200
// puts; paced, one per interval, and the last change still goes out.
TEST(PutPacer, ACascadeOfChangesCostsOnePutPerIntervalAndTheLastOneIsPut)
{
    PutPacer pacer(5000);
    int puts = 0;
    qint64 lastChange = 0, lastPut = -1;
    auto putAt = [&](qint64 t) {
        pacer.put(t);
        ++puts;
        lastPut = t;
    };
    for (qint64 t = 0; t < 60000; t += 300) {
        if (auto due = pacer.due(); due && *due <= t && pacer.onTimer(*due)) putAt(*due);
        lastChange = t;
        if (pacer.changed(t)) putAt(t);
    }
    while (auto due = pacer.due())
        if (pacer.onTimer(*due)) putAt(*due);
    EXPECT_LE(puts, 60000 / 5000 + 1);
    EXPECT_GE(puts, 60000 / 5000 - 1);
    EXPECT_GE(lastPut, lastChange) << "the last change of the burst was never put";
    EXPECT_LE(lastPut, lastChange + 5000);
}
