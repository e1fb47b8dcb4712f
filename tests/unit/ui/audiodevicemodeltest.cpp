// The call bar's device picker model and the level meter's scale (no audio hardware needed:
// the device list is set by hand as hot-plug would change it).

#include "models/audiodevicemodel.h"
#include "app/demospeech.h"
#include "models/callmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace plenum::ui;

TEST(AudioDeviceModel, SystemDefaultFirstAndFallbackWhenTheChosenDeviceGoes)
{
    AudioDeviceModel model(AudioDeviceModel::Kind::Input);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setDevices({{"usb", "USB headset", false}, {"builtin", "Built-in mic", true}});
    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_EQ(model.index(0).data(AudioDeviceModel::NameRole).toString(), "System default");
    EXPECT_EQ(model.index(2).data(AudioDeviceModel::NameRole).toString(),
              "Built-in mic (system default)");
    EXPECT_TRUE(model.currentId().isEmpty()); // follows the system by default

    QSignalSpy changed(&model, &AudioDeviceModel::deviceChanged);
    QSignalSpy moved(&model, &AudioDeviceModel::currentChanged);
    model.setCurrentIndex(1);
    EXPECT_EQ(model.currentId(), QByteArray("usb"));
    EXPECT_EQ(changed.count(), 1);
    // Hot-plug: another device appears; the choice stays, at its new row.
    model.setDevices({{"bt", "Headphones", false}, {"usb", "USB headset", false}});
    EXPECT_EQ(model.currentIndex(), 2);
    EXPECT_EQ(model.currentId(), QByteArray("usb"));
    EXPECT_EQ(changed.count(), 1); // the same device: the call keeps it open
    EXPECT_EQ(moved.count(), 2);   // the picker's row moved
    // The chosen device is unplugged: back to the system default, and the owner is told.
    model.setDevices({{"bt", "Headphones", false}});
    EXPECT_EQ(model.currentIndex(), 0);
    EXPECT_TRUE(model.currentId().isEmpty());
    EXPECT_EQ(changed.count(), 2);
    model.setCurrentIndex(7); // out of range: ignored
    EXPECT_EQ(model.currentIndex(), 0);
}

TEST(AudioDeviceModel, ThePersonsChoiceIsKeptAcrossUnplugAndRestart)
{
    AudioDeviceModel model(AudioDeviceModel::Kind::Output);
    model.setDevices({{"usb", "USB headset", false}, {"builtin", "Speakers", true}});
    QSignalSpy saved(&model, &AudioDeviceModel::preferredChanged);
    QSignalSpy changed(&model, &AudioDeviceModel::deviceChanged);
    model.setCurrentIndex(1);
    ASSERT_EQ(saved.count(), 1);
    EXPECT_EQ(saved.at(0).at(0).toByteArray(), QByteArray("usb"));
    // Unplugged: the call falls back to the system default, but the choice is not forgotten.
    model.setDevices({{"builtin", "Speakers", true}});
    EXPECT_TRUE(model.currentId().isEmpty());
    EXPECT_EQ(model.preferredId(), QByteArray("usb"));
    // Plugged in again: chosen again, and the running call is told.
    model.setDevices({{"builtin", "Speakers", true}, {"usb", "USB headset", false}});
    EXPECT_EQ(model.currentId(), QByteArray("usb"));
    EXPECT_EQ(changed.count(), 3);
    EXPECT_EQ(saved.count(), 1); // only the person's pick is saved

    // Next start: the saved id is restored before the list is known, and chosen once it is.
    AudioDeviceModel restarted(AudioDeviceModel::Kind::Output);
    restarted.setPreferredId("usb");
    restarted.setDevices({{"usb", "USB headset", false}});
    EXPECT_EQ(restarted.currentId(), QByteArray("usb"));
    restarted.setPreferredId("gone-for-good");
    EXPECT_EQ(restarted.currentIndex(), 0);
}

TEST(CallModel, LevelScaleForTheMeter)
{
    EXPECT_EQ(CallModel::levelFromDb(-96), 0.0);
    EXPECT_EQ(CallModel::levelFromDb(-60), 0.0);
    EXPECT_NEAR(CallModel::levelFromDb(-30), 0.5, 1e-9);
    EXPECT_EQ(CallModel::levelFromDb(0), 1.0);
    EXPECT_EQ(CallModel::levelFromDb(6), 1.0);
}

TEST(DemoSpeech, ReadsEspeakStdoutWavAndResamplesTo48k)
{
    // espeak-ng --stdout: 22050 Hz mono 16-bit, sizes are placeholders (it cannot seek).
    QByteArray wav("RIFF\x24\xf0\xff\x7fWAVEfmt ", 16);
    const char fmt[16] = {1, 0, 1, 0, 0x22, 0x56, 0, 0, 0x44, (char)0xac, 0, 0, 2, 0, 16, 0};
    wav.append(QByteArray("\x10\0\0\0", 4)); // fmt chunk size
    wav.append(fmt, 16);
    wav.append(QByteArray("data\x00\xf0\xff\x7f", 8));
    for (int i = 0; i < 2205; ++i) { // 100 ms of a ramp
        const qint16 v = qint16(i * 10);
        wav.append(char(v & 0xff));
        wav.append(char((v >> 8) & 0xff));
    }
    auto pcm = DemoSpeech::toSpeechAt48k(wav);
    ASSERT_TRUE(pcm.ok()) << pcm.error().toStdString();
    EXPECT_EQ(pcm->size(), 4800u); // 100 ms at 48 kHz
    EXPECT_EQ(pcm->front(), 0);
    EXPECT_NEAR(double(pcm.value()[2400]), 1102.5 * 10, 10); // the middle of the ramp
    EXPECT_FALSE(DemoSpeech::toSpeechAt48k("RIFF").ok());
    QByteArray stereo = wav;
    stereo[22] = 2;
    EXPECT_FALSE(DemoSpeech::toSpeechAt48k(stereo).ok());
}
