#pragma once
// The thread a call's audio runs on (issue 14: no underruns on a busy machine). The device's
// clock, the capture (echo control, Opus, SRTP per link) and each playback pull (reading the
// links' media, jitter buffers, decoding, mixing) run here, at a raised priority as real
// clients do (PulseAudio, PipeWire, WebRTC): a 20 ms frame's work that waits behind the rest
// of the process, or of the machine, is heard as a gap. The Node and the links stay on their
// own thread; CallEngine is safe to call from it, and ControlLink's MediaPort carries the
// datagrams.
//
// Priority, best first: SCHED_RR (real-time, round robin; needs CAP_SYS_NICE or an RTPRIO
// limit, as PulseAudio asks rtkit for), else nice -11 (as PulseAudio without rtkit), else the
// normal priority; priority() says which it got. The kernel keeps 5 % of each second for
// everything else (sched_rt_runtime_us), so even a runaway audio thread cannot freeze a core.

#include <QSemaphore>
#include <QString>
#include <QThread>

#include <functional>
#include <memory>
#include <vector>

namespace plenum::media {

class AudioDevice;

// Runs `f` on `object`'s thread and waits for it (at once when that is this thread): how the
// links' thread reaches a device that lives on an AudioThread.
void runOnThreadOf(QObject* object, const std::function<void()>& f);

class AudioThread {
public:
    AudioThread();
    ~AudioThread(); // stops the thread, then deletes the devices it took (stop them first)

    // Moves `device` to the thread (before it starts); it is deleted there with this.
    AudioDevice* adopt(std::unique_ptr<AudioDevice> device);
    QThread* thread() { return &thread_; }
    // "real-time (SCHED_RR 10)", "nice -11" or "normal (why)".
    QString priority() const { return thread_.priority; }

private:
    class Thread : public QThread {
    public:
        QString priority; // written by the thread before `ready`
        QSemaphore ready;
        void run() override;
    };
    Thread thread_;
    std::vector<AudioDevice*> devices_;
};

} // namespace plenum::media
