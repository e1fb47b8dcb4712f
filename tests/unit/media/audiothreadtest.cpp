// The call's audio thread (media/audiothread.h): the device it adopts runs there, at the
// priority the thread says it got; a device on it is reached from this thread and goes with it.
#include "eventloop.h"

#include "media/audiothread.h"
#include "media/fileaudiodevice.h"

#include <gtest/gtest.h>

#include <QThread>

#include <sched.h>
#include <sys/resource.h>

using namespace plenum::media;

TEST(AudioThread, TheAdoptedDeviceRunsThereAtThePriorityItReports)
{
    plenum::net::test::ensureApp();
    AudioThread audio;
    auto* device = static_cast<FileAudioDevice*>(audio.adopt(std::make_unique<FileAudioDevice>()));
    EXPECT_EQ(device->thread(), audio.thread());
    std::printf("{\"audio_thread_priority\": \"%s\"}\n", qPrintable(audio.priority()));

    QThread* ranOn = nullptr;
    int policy = -1;
    int nice = 0;
    std::vector<qint16> tone(960, 1000);
    device->setCaptureSink([&](std::span<const qint16>) {
        if (ranOn) return;
        policy = sched_getscheduler(0) & ~SCHED_RESET_ON_FORK;
        nice = getpriority(PRIO_PROCESS, 0); // this thread's own (Linux)
        ranOn = QThread::currentThread();
    });
    runOnThreadOf(device, [&] {
        device->setInput(tone, true);
        ASSERT_TRUE(device->start(960).ok());
    });
    int frames = 0;
    ASSERT_TRUE(plenum::net::test::waitFor(
        [&] {
            runOnThreadOf(device, [&] { frames = int(device->framesProcessed()); });
            return frames >= 3;
        },
        5000));
    runOnThreadOf(device, [&] { device->stop(); });
    EXPECT_EQ(ranOn, audio.thread());
    EXPECT_NE(ranOn, QThread::currentThread());
    if (audio.priority().startsWith("real-time"))
        EXPECT_EQ(policy, SCHED_RR);
    else if (audio.priority().startsWith("nice"))
        EXPECT_LT(nice, 0);
    else
        EXPECT_TRUE(audio.priority().startsWith("normal (")) << audio.priority().toStdString();
}
