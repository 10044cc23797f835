// SPDX-License-Identifier: GPL-3.0-or-later
// The webhook console's capture table (STYLE.md 10): the model contract under
// QAbstractItemModelTester while captures arrive, get their outcomes, are dropped by the bounds,
// filtered by trigger, cleared and loaded from disk; one signal per batch, not per capture.
#include "webhookcapturemodel.h"
#include "webhookrelaytesting.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

// The model under test, held to its contract by QAbstractItemModelTester for as long as it lives.
struct Tested
{
    explicit Tested(WebhookRelay *relay)
        : model(relay)
        , tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest)
    {}

    WebhookCaptureModel model;
    QAbstractItemModelTester tester;
};

} // namespace

class TestWebhookCaptureModel : public QObject, private WebhookRelayFixture
{
    Q_OBJECT

private:
    // Sends `count` console events to `trigger` without waiting; true once all were answered.
    bool sendAll(const QString &trigger, int count)
    {
        auto answered = std::make_shared<int>(0);
        for (int i = 0; i < count; ++i) {
            WebhookRequest request;
            request.trigger = trigger;
            request.headers = {{"Content-Type", "application/json"}};
            request.body = QJsonDocument(QJsonObject{{"i"_L1, i}}).toJson();
            m_relay->send(request, this, [answered](const WebhookCapture &) { ++*answered; });
        }
        return waitFor([&] { return *answered == count; });
    }

private Q_SLOTS:
    void initTestCase() { startEngine(); }
    void init() { openRelay(); }
    void cleanup() { closeRelayAndDirectory(); }

    void appendsInBatchesNewestFirst()
    {
        Tested tested(m_relay.get());
        WebhookCaptureModel &model = tested.model;
        model.setTrigger(u"door"_s);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(sendAll(u"door"_s, 6));
        QVERIFY(waitFor([&] { return model.rowCount() == 6; }));
        QVERIFY2(inserted.count() < 6, qPrintable(QString::number(inserted.count())));
        QVERIFY(waitFor([&] {
            return model.index(5, WebhookCaptureModel::Status).data().toString() == u"202"_s;
        }));
        // Row 0 is the newest.
        const WebhookCapture *newest = model.capture(0);
        QVERIFY(newest);
        QCOMPARE(newest->id, m_relay->captures().back().id);
        QCOMPARE(model.rowOf(newest->id), 0);
        QCOMPARE(model.index(0, WebhookCaptureModel::Source).data().toString(), u"console"_s);
        QCOMPARE(model.index(0, WebhookCaptureModel::Method).data().toString(), u"POST"_s);
        QCOMPARE(model.index(0, WebhookCaptureModel::ContentType).data().toString(),
                 u"application/json"_s);
        QCOMPARE(model.index(0, WebhookCaptureModel::Activation).data().toString(),
                 newest->activationId);
        QCOMPARE(model.index(0, 0).data(WebhookCaptureModel::OutcomeRole).toInt(),
                 int(WebhookCapture::Outcome::Fired));
        QVERIFY(!newest->activationId.isEmpty());
    }

    void filtersByTrigger()
    {
        QVERIFY(sendAll(u"door"_s, 2));
        QVERIFY(sendAll(u"idle"_s, 3));
        Tested tested(m_relay.get());
        WebhookCaptureModel &model = tested.model;
        QCOMPARE(model.rowCount(), 5);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setTrigger(u"idle"_s);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, WebhookCaptureModel::Activation).data().toString(),
                 u"no active rule"_s);
        // Deliveries to other triggers do not show up.
        QVERIFY(sendAll(u"door"_s, 1));
        model.flush();
        QCOMPARE(model.rowCount(), 3);
    }

    void dropsTheOldestInOneRemoval()
    {
        WebhookRelaySettings bounds = m_relay->settings();
        bounds.maxCaptures = 3;
        m_relay->setSettings(bounds);
        Tested tested(m_relay.get());
        WebhookCaptureModel &model = tested.model;
        QVERIFY(sendAll(u"idle"_s, 3));
        model.flush();
        QCOMPARE(model.rowCount(), 3);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QVERIFY(sendAll(u"idle"_s, 2));
        model.flush();
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.first().at(1).toInt(), 1); // rows 1..2 of 3: the two oldest
        QCOMPARE(removed.first().at(2).toInt(), 2);
        QCOMPARE(model.capture(0)->id, m_relay->captures().back().id);
        QCOMPARE(model.capture(2)->id, m_relay->captures().front().id);
    }

    void clearResets()
    {
        QVERIFY(sendAll(u"door"_s, 2));
        QVERIFY(sendAll(u"idle"_s, 1));
        Tested tested(m_relay.get());
        WebhookCaptureModel &model = tested.model;
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        m_relay->clear(u"door"_s);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 1);
        m_relay->clear();
        QCOMPARE(model.rowCount(), 0);
        // Cleared on disk too.
        m_relay.reset();
        openRelay();
        QVERIFY(m_relay->captures().empty());
    }

    void historyArrivesFromDisk()
    {
        QVERIFY(sendAll(u"door"_s, 4));
        m_relay.reset();
        openRelay(false); // the file is still being read: the model starts empty
        Tested tested(m_relay.get());
        WebhookCaptureModel &model = tested.model;
        QVERIFY(waitFor([&] { return model.rowCount() == 4; }));
        QCOMPARE(model.index(0, WebhookCaptureModel::Status).data().toString(), u"202"_s);
    }
};

QTEST_GUILESS_MAIN(TestWebhookCaptureModel)
#include "tst_webhookcapturemodel.moc"
