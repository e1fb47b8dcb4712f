#include "media/audiothread.h"

#include "media/audiodevice.h"

#include <cerrno>
#include <cstring>

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace plenum::media {

namespace {

// Low among real-time priorities (1..99): above every normal thread, below the kernel's own
// and the sound server's (PulseAudio and PipeWire ask rtkit for 5..20).
constexpr int kRealtimePriority = 10;
constexpr int kNice = -11;

QString raiseThisThread()
{
    sched_param param{};
    param.sched_priority = kRealtimePriority;
    // SCHED_RESET_ON_FORK: a child process (none today) would not inherit it.
    if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &param) == 0)
        return QStringLiteral("real-time (SCHED_RR %1)").arg(kRealtimePriority);
    const QString rtError = QString::fromLocal8Bit(std::strerror(errno));
    // On Linux a thread's nice value is its own (the thread id as the "process").
    if (setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), kNice) == 0)
        return QStringLiteral("nice %1").arg(kNice);
    return QStringLiteral("normal (real-time and a raised nice value were refused: %1)")
        .arg(rtError);
}

} // namespace

void runOnThreadOf(QObject* object, const std::function<void()>& f)
{
    if (object->thread() == QThread::currentThread())
        f();
    else
        QMetaObject::invokeMethod(object, f, Qt::BlockingQueuedConnection);
}

void AudioThread::Thread::run()
{
    priority = raiseThisThread();
    ready.release();
    exec();
}

AudioThread::AudioThread()
{
    thread_.setObjectName(QStringLiteral("plenum-audio"));
    thread_.start();
    thread_.ready.acquire();
    if (!priority().startsWith(QLatin1String("real-time")))
        qInfo("plenum media: the audio thread runs at %s", qPrintable(priority()));
}

AudioThread::~AudioThread()
{
    thread_.quit();
    thread_.wait();
    // The thread has finished, so its devices process no event any more: deleting them here
    // is safe (their owners stopped them on the thread first).
    for (AudioDevice* device : devices_)
        delete device;
}

AudioDevice* AudioThread::adopt(std::unique_ptr<AudioDevice> device)
{
    AudioDevice* raw = device.release();
    raw->moveToThread(&thread_);
    devices_.push_back(raw);
    return raw;
}

} // namespace plenum::media
