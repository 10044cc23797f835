// SPDX-License-Identifier: GPL-3.0-or-later
// The payload shape view (widgets/monitor/payloadshapeview.h): the empty state until a trigger's
// payload arrives, the trigger chooser, the field tree (types with their share, n / m present,
// examples), "Copy as sample parameters" on the clipboard and "Use as action parameters…" as a
// signal. FEEDSCOPE_SCREENSHOTS=<dir> saves its picture.
#include "monitor/payloadshapeview.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

using namespace Feedscope;
using namespace Feedscope::Ui;
using namespace Qt::StringLiterals;

namespace {

ActivationRecord fire(int i, const QString &trigger, const char *payload)
{
    return ActivationRecord::fromJson(
        {{u"activationId"_s, u"a%1"_s.arg(i, 31, 10, QLatin1Char('0'))},
         {u"namespace"_s, u"guest"_s}, {u"name"_s, trigger}, {u"start"_s, qint64(1700000000000)},
         {u"annotations"_s, QJsonArray{}},
         {u"response"_s, QJsonObject{{u"status"_s, u"success"_s},
                                     {u"result"_s, QJsonDocument::fromJson(payload).object()}}}});
}

QTreeWidgetItem *itemOf(QTreeWidget *tree, const QString &path)
{
    for (QTreeWidgetItemIterator it(tree); *it; ++it) {
        if ((*it)->data(0, Qt::UserRole).toString() == path)
            return *it;
    }
    return nullptr;
}

} // namespace

class TestPayloadShapeView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsTheShapeAndHandsOnASample()
    {
        PayloadShapeView view;
        view.resize(720, 360);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.isShowingEmptyState());
        QVERIFY(view.findChild<QLabel *>(u"payloadShapeEmpty"_s)->text().contains(u"fire a trigger"_s));
        QVERIFY(!view.copyButton()->isEnabled());
        QVERIFY(!view.useButton()->isEnabled());

        view.ingest({fire(1, u"orders"_s, R"({"id":1,"customer":{"name":"Ada"},"tags":["a"]})"),
                     fire(2, u"orders"_s, R"({"id":"o-2","customer":{"name":"Bo"}})"),
                     fire(3, u"orders"_s, R"({"id":3,"customer":{"name":"Cy","vip":true}})"),
                     fire(4, u"ticks"_s, R"({"n":1})")});
        QTRY_VERIFY(!view.isShowingEmptyState());
        QCOMPARE(view.triggerChooser()->count(), 2);
        QCOMPARE(view.currentTrigger(), u"orders"_s);
        QCOMPARE(view.summaryLabel()->text(), u"3 payloads · 6 fields"_s);

        QTreeWidget *tree = view.fieldsView();
        const QTreeWidgetItem *id = itemOf(tree, u"id"_s);
        QVERIFY(id);
        QCOMPARE(id->text(1), u"integer 67% · string 33%"_s);
        QCOMPARE(id->text(2), u"3 / 3"_s);
        QCOMPARE(id->text(3), u"1"_s);
        const QTreeWidgetItem *vip = itemOf(tree, u"customer.vip"_s);
        QVERIFY(vip);
        QCOMPARE(vip->parent(), itemOf(tree, u"customer"_s)); // nested under its object
        QCOMPARE(vip->text(0), u"vip"_s);
        QCOMPARE(vip->text(2), u"1 / 3"_s);
        QCOMPARE(itemOf(tree, u"tags[]"_s)->text(3), u"\"a\""_s); // strings quoted

        // A collapsed field stays collapsed when new payloads refresh the tree.
        QTreeWidgetItem *customer = itemOf(tree, u"customer"_s);
        QVERIFY(customer->isExpanded());
        customer->setExpanded(false);
        view.ingest({fire(5, u"orders"_s, R"({"id":5,"customer":{"name":"Di"},"extra":0})")});
        QTRY_COMPARE(view.summaryLabel()->text(), u"4 payloads · 7 fields"_s);
        QVERIFY(!itemOf(tree, u"customer"_s)->isExpanded());

        // The sample, copied and handed on.
        const QJsonObject expected = view.shape()->sampleParameters(u"orders"_s);
        QCOMPARE(expected.value(u"id"_s), QJsonValue(1));
        QVERIFY(view.copyButton()->isEnabled());
        QTest::mouseClick(view.copyButton(), Qt::LeftButton);
        QCOMPARE(QJsonDocument::fromJson(QApplication::clipboard()->text().toUtf8()).object(),
                 expected);
        QSignalSpy requested(&view, &PayloadShapeView::sampleParametersRequested);
        QTest::mouseClick(view.useButton(), Qt::LeftButton);
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.first().at(0).toString(), u"orders"_s);
        QCOMPARE(requested.first().at(1).toJsonObject(), expected);

        if (const QString dir = qEnvironmentVariable("FEEDSCOPE_SCREENSHOTS"); !dir.isEmpty())
            view.grab().save(dir + u"/payloadshape.png"_s);

        // Another trigger's shape from the chooser.
        view.setCurrentTrigger(u"ticks"_s);
        QCOMPARE(view.summaryLabel()->text(), u"1 payload · 1 field"_s);
        QVERIFY(itemOf(tree, u"n"_s));
        QVERIFY(!itemOf(tree, u"id"_s));
    }
};

QTEST_MAIN(TestPayloadShapeView)
#include "tst_payloadshapeview.moc"
