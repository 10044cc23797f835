// SPDX-License-Identifier: GPL-3.0-or-later
// The entity editors (widgets/editors/) driven as a user drives them, against a real engine:
// create, edit, invoke / fire and delete each kind; a feed trigger made and changed through its
// feed's lifecycle and deleted through its feed's DELETE; a save the API refuses keeps the input
// and shows the API's message at the field.
#include "common/jsonfield.h"
#include "common/messagebar.h"
#include "common/operationview.h"
#include "common/reportview.h"
#include "editors/actioneditor.h"
#include "editors/editorarea.h"
#include "editors/feedform.h"
#include "editors/packageeditor.h"
#include "editors/ruleeditor.h"
#include "editors/triggereditor.h"
#include "explorer/explorerpanel.h"
#include "widgettesting.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QToolButton>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Feedscope::Ui;

namespace {

QJsonObject paramsOf(const QJsonObject &doc)
{
    QJsonObject o;
    for (const QJsonValue &kv : doc.value(QLatin1String("parameters")).toArray())
        o.insert(kv[QLatin1String("key")].toString(), kv[QLatin1String("value")]);
    return o;
}

void clickSave(EntityEditor *editor)
{
    auto *button = editor->findChild<QToolButton *>(QStringLiteral("saveActionButton"));
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
}

} // namespace

class TestEditors : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    HttpJournal m_journal;
    LifecycleJournalPtr m_lifecycleJournal = std::make_shared<LifecycleJournal>();
    std::unique_ptr<Session> m_session;
    std::unique_ptr<QWidget> m_window;
    EditorArea *m_area = nullptr;
    ExplorerPanel *m_explorer = nullptr;

    bool saved(EntityEditor *editor)
    {
        return waitUntil(
            [&] { return !editor->isBusy() && !editor->isNew() && !editor->isDirty(); });
    }
    int status(const QString &path)
    {
        return m_engine.get(QStringLiteral("/api/v1/namespaces/guest/") + path).status;
    }
    QJsonObject doc(const QString &path)
    {
        return m_engine.get(QStringLiteral("/api/v1/namespaces/guest/") + path).object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        m_session = openSession(m_engine, &m_journal, m_lifecycleJournal);
        m_window = std::make_unique<QWidget>();
        m_area = new EditorArea(m_window.get());
        m_explorer = new ExplorerPanel(m_window.get());
        auto *layout = new QHBoxLayout(m_window.get());
        layout->addWidget(m_explorer);
        layout->addWidget(m_area, 1);
        m_area->setSession(m_session.get());
        m_explorer->setSession(m_session.get());
        connect(m_area, &EditorArea::deleteRequested, m_explorer, &ExplorerPanel::deleteEntity);
        connect(m_explorer, &ExplorerPanel::entityDeleted, m_area, &EditorArea::closeEntity);
        m_window->resize(1300, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void actionCreateEditInvokeDelete()
    {
        auto *editor = qobject_cast<ActionEditor *>(m_area->openNew(ExplorerEntry::Kind::Action));
        QVERIFY(editor);
        QCOMPARE(editor->title(), QStringLiteral("New action"));
        QTest::keyClicks(editor->nameEdit(), QStringLiteral("greeter"));
        editor->codeEditor()->setPlainText(
            QStringLiteral("function main(p) { console.log('hi ' + p.name); return { hello: "
                           "p.name, lang: p.lang }; }"));
        editor->parametersField()->editor()->setFocus();
        QTest::keyClicks(editor->parametersField()->editor(), QStringLiteral("{\"lang\": \"en\"}"));
        QVERIFY(editor->parametersField()->isValid());
        QVERIFY(editor->isDirty());
        clickSave(editor);
        QVERIFY(saved(editor));
        QCOMPARE(editor->title(), QStringLiteral("Action greeter"));
        QCOMPARE(status(QStringLiteral("actions/greeter")), 200);
        QCOMPARE(paramsOf(doc(QStringLiteral("actions/greeter")))
                     .value(QLatin1String("lang"))
                     .toString(),
                 QStringLiteral("en"));
        // The explorer follows (it reloads after every change the app makes).
        QVERIFY(waitUntil([&] {
            return m_explorer->selectEntity(
                EntityRef{ExplorerEntry::Kind::Action, QStringLiteral("greeter")});
        }));

        // Edit: a new parameter value and a timeout.
        editor->parametersField()->setText(QStringLiteral("{\"lang\": \"fr\"}"));
        editor->findChild<QSpinBox *>(QStringLiteral("timeoutSpin"))->setValue(5000);
        clickSave(editor);
        QVERIFY(saved(editor));
        const QJsonObject updated = doc(QStringLiteral("actions/greeter"));
        QCOMPARE(paramsOf(updated).value(QLatin1String("lang")).toString(), QStringLiteral("fr"));
        QCOMPARE(updated.value(QLatin1String("version")).toString(), QStringLiteral("0.0.2"));
        QCOMPARE(updated.value(QLatin1String("limits"))
                     .toObject()
                     .value(QLatin1String("timeout"))
                     .toInt(),
                 5000);

        // Invoke in place: result, logs and timing.
        editor->invokeParametersField()->setText(QStringLiteral("{\"name\": \"Ada\"}"));
        QTest::mouseClick(editor->invokeButton(), Qt::LeftButton);
        QVERIFY(waitUntil(
            [&] { return editor->invokeSummary()->text().contains(QLatin1String("success")); }));
        QCOMPARE(editor->invokeResultField()
                     ->value()
                     .toObject()
                     .value(QLatin1String("hello"))
                     .toString(),
                 QStringLiteral("Ada"));
        QCOMPARE(
            editor->invokeResultField()->value().toObject().value(QLatin1String("lang")).toString(),
            QStringLiteral("fr"));
        QVERIFY(editor->invokeLogs()->toPlainText().contains(QLatin1String("hi Ada")));
        QVERIFY(editor->invokeSummary()->text().contains(QLatin1String(" ms")));

        // Delete from the editor: confirmed, gone from the API, the tab closes.
        QPointer<EntityEditor> guard(editor);
        answerNextMessageBox(QMessageBox::Yes);
        editor->deleteAction()->trigger();
        QVERIFY(waitUntil([&] { return status(QStringLiteral("actions/greeter")) == 404; }));
        QVERIFY(waitUntil([&] { return guard.isNull(); }));
    }

    void refusedSaveKeepsTheInputAndShowsTheMessageAtTheField()
    {
        auto *editor = qobject_cast<ActionEditor *>(m_area->openNew(ExplorerEntry::Kind::Action));
        QTest::keyClicks(editor->nameEdit(), QStringLiteral("broken"));
        editor->kindCombo()->setCurrentText(QStringLiteral("cobol:85"));
        const QString code = QStringLiteral("function main() { return {}; }");
        editor->codeEditor()->setPlainText(code);
        clickSave(editor);
        QVERIFY(waitUntil([&] { return !editor->isBusy(); }));
        QVERIFY(editor->isNew());
        QCOMPARE(status(QStringLiteral("actions/broken")), 404);
        // The API's own words, under the code field; nothing the user typed is lost.
        QVERIFY(editor->codeMessage()->isVisible());
        QVERIFY2(editor->codeMessage()->text().contains(QLatin1String("400")),
                 qPrintable(editor->codeMessage()->text()));
        QVERIFY(editor->codeMessage()->text().contains(QLatin1String("cobol")));
        QCOMPARE(editor->codeEditor()->toPlainText(), code);
        QCOMPARE(editor->nameEdit()->text(), QStringLiteral("broken"));
        QCOMPARE(editor->kindCombo()->currentText(), QStringLiteral("cobol:85"));

        // Invalid JSON is caught as it is typed, with its position.
        editor->parametersField()->setText(QStringLiteral("{\n  \"a\": 1,\n  oops\n}"));
        QVERIFY(!editor->parametersField()->isValid());
        QVERIFY2(editor->parametersField()->messageBar()->text().contains(QLatin1String("line 3")),
                 qPrintable(editor->parametersField()->messageBar()->text()));
        // And a bad name before anything is sent.
        editor->nameEdit()->clear();
        QTest::keyClicks(editor->nameEdit(), QStringLiteral("no/good/name"));
        QVERIFY(editor->findChild<MessageBar *>(QStringLiteral("nameMessage"))->isVisible());
        m_area->closeEntity(editor->entity());
        m_area->removeTab(m_area->indexOf(editor));
        editor->deleteLater();
    }

    void plainTriggerFireAndRule()
    {
        QVERIFY(
            ok(m_engine.put(QStringLiteral("/api/v1/namespaces/guest/actions/echo"), nodeAction()),
               "echo"));
        auto *trigger
            = qobject_cast<TriggerEditor *>(m_area->openNew(ExplorerEntry::Kind::Trigger));
        QTest::keyClicks(trigger->nameEdit(), QStringLiteral("door"));
        trigger->parametersField()->setText(QStringLiteral("{\"building\": \"A\"}"));
        clickSave(trigger);
        QVERIFY(saved(trigger));
        QCOMPARE(paramsOf(doc(QStringLiteral("triggers/door")))
                     .value(QLatin1String("building"))
                     .toString(),
                 QStringLiteral("A"));

        // No rule yet: the fire is answered 204 and the editor says what that means.
        trigger->payloadField()->setText(QStringLiteral("{\"who\": \"me\"}"));
        QTest::mouseClick(trigger->fireButton(), Qt::LeftButton);
        QVERIFY(waitUntil(
            [&] { return trigger->fireResult()->text().contains(QLatin1String("204")); }));

        // A rule, made inactive in the editor.
        QVERIFY(waitUntil([&] {
            return m_session->tree()
                ->indexOf(EntityTreeModel::Group::Triggers, QStringLiteral("door"))
                .isValid();
        }));
        auto *rule = qobject_cast<RuleEditor *>(m_area->openNew(ExplorerEntry::Kind::Rule));
        QTest::keyClicks(rule->nameEdit(), QStringLiteral("door-echo"));
        rule->triggerCombo()->setCurrentText(QStringLiteral("door"));
        rule->actionCombo()->setCurrentText(QStringLiteral("echo"));
        rule->activeBox()->setChecked(false);
        clickSave(rule);
        QVERIFY(saved(rule));
        QCOMPARE(doc(QStringLiteral("rules/door-echo")).value(QLatin1String("status")).toString(),
                 QStringLiteral("inactive"));
        QVERIFY(waitUntil([&] {
            const QModelIndex r = m_session->tree()->indexOf(EntityTreeModel::Group::Rules,
                                                             QStringLiteral("door-echo"));
            return r.data(EntityTreeModel::BadgesRole).toInt() & EntityTreeModel::InactiveBadge;
        }));
        rule->activeBox()->setChecked(true);
        clickSave(rule);
        QVERIFY(saved(rule));
        QCOMPARE(doc(QStringLiteral("rules/door-echo")).value(QLatin1String("status")).toString(),
                 QStringLiteral("active"));

        // Now the fire runs the action: 202 with a trigger activation.
        QTest::mouseClick(trigger->fireButton(), Qt::LeftButton);
        QVERIFY(waitUntil(
            [&] { return trigger->fireResult()->text().contains(QLatin1String("202")); }));
        QVERIFY(waitUntil([&] {
            const QJsonArray runs
                = m_engine
                      .get(QStringLiteral("/api/v1/namespaces/_/activations?name=echo&docs=true"))
                      .array();
            return !runs.isEmpty()
                   && runs.first()[QLatin1String("response")][QLatin1String("result")]
                                  [QLatin1String("who")]
                                      .toString()
                          == u"me";
        }));

        // A rule whose trigger does not exist: the API's message goes under the trigger field.
        auto *bad = qobject_cast<RuleEditor *>(m_area->openNew(ExplorerEntry::Kind::Rule));
        QTest::keyClicks(bad->nameEdit(), QStringLiteral("nowhere"));
        bad->triggerCombo()->setCurrentText(QStringLiteral("no-such-trigger"));
        bad->actionCombo()->setCurrentText(QStringLiteral("echo"));
        clickSave(bad);
        QVERIFY(waitUntil([&] { return !bad->isBusy(); }));
        QVERIFY(bad->isNew());
        auto *triggerMessage = bad->findChild<MessageBar *>(QStringLiteral("ruleTriggerMessage"));
        QVERIFY2(triggerMessage->isVisible(), qPrintable(bad->messageBar()->text()));
        QCOMPARE(bad->triggerCombo()->currentText(), QStringLiteral("no-such-trigger"));
        m_area->removeTab(m_area->indexOf(bad));
        bad->deleteLater();

        // Deleting a rule and a plain trigger from the editors.
        answerNextMessageBox(QMessageBox::Yes);
        rule->deleteAction()->trigger();
        QVERIFY(waitUntil([&] { return status(QStringLiteral("rules/door-echo")) == 404; }));
        answerNextMessageBox(QMessageBox::Yes);
        trigger->deleteAction()->trigger();
        QVERIFY(waitUntil([&] { return status(QStringLiteral("triggers/door")) == 404; }));
    }

    void feedTriggerThroughItsLifecycle()
    {
        auto *editor = qobject_cast<TriggerEditor *>(m_area->openNew(ExplorerEntry::Kind::Trigger));
        QTest::keyClicks(editor->nameEdit(), QStringLiteral("nightly"));
        editor->feedCombo()->setCurrentText(QStringLiteral("/whisk.system/alarms/alarm"));
        // The form comes from the feed action's `parameters` annotation.
        QVERIFY(waitUntil(
            [&] { return editor->feedForm()->field(QStringLiteral("cron")) != nullptr; }));
        QVERIFY(editor->feedForm()->field(QStringLiteral("maxTriggers")));
        // Required fields are checked before anything is sent.
        clickSave(editor);
        QVERIFY(editor->messageBar()->text().contains(QLatin1String("cron")));
        QCOMPARE(status(QStringLiteral("triggers/nightly")), 404);
        QTest::keyClicks(editor->feedForm()->field(QStringLiteral("cron")),
                         QStringLiteral("0 3 * * *"));
        clickSave(editor);
        QVERIFY(saved(editor));
        QVERIFY(editor->reportView()->reportText().contains(QLatin1String("CREATE")));
        const QJsonObject created = doc(QStringLiteral("triggers/nightly"));
        QVERIFY(created.value(QLatin1String("annotations"))
                    .toArray()
                    .contains(QJsonObject{
                        {QStringLiteral("key"), QStringLiteral("feed")},
                        {QStringLiteral("value"), QStringLiteral("/whisk.system/alarms/alarm")}}));
        QCOMPARE(
            alarmEntry(m_engine,
                       QStringLiteral("nightly"))[QLatin1String("config")][QLatin1String("cron")]
                .toString(),
            QStringLiteral("0 3 * * *"));
        // The editor reloads: status from the feed's READ; the fixed parameter is locked.
        QVERIFY(waitUntil(
            [&] { return editor->feedStatus()->text().startsWith(QLatin1String("Active")); }));
        QVERIFY(waitUntil([&] {
            return editor->feedForm()->field(QStringLiteral("maxTriggers"))
                   && editor->feedForm()->field(QStringLiteral("maxTriggers"))->isReadOnly();
        }));

        // Changing the schedule is an UPDATE through the feed; the trigger's own annotations
        // changed in the same save are kept too.
        QLineEdit *cron = editor->feedForm()->field(QStringLiteral("cron"));
        cron->selectAll();
        QTest::keyClicks(cron, QStringLiteral("0 4 * * *"));
        editor->annotationsField()->setText(QStringLiteral("{\"description\": \"every night\"}"));
        clickSave(editor);
        QVERIFY(saved(editor));
        QVERIFY(waitUntil([&] {
            return doc(QStringLiteral("triggers/nightly"))
                .value(QLatin1String("annotations"))
                .toArray()
                .contains(QJsonObject{{QStringLiteral("key"), QStringLiteral("description")},
                                      {QStringLiteral("value"), QStringLiteral("every night")}});
        }));
        QVERIFY(doc(QStringLiteral("triggers/nightly"))
                    .value(QLatin1String("annotations"))
                    .toArray()
                    .contains(QJsonObject{
                        {QStringLiteral("key"), QStringLiteral("feed")},
                        {QStringLiteral("value"), QStringLiteral("/whisk.system/alarms/alarm")}}));
        QVERIFY(waitUntil([&] {
            return alarmEntry(
                       m_engine,
                       QStringLiteral("nightly"))[QLatin1String("config")][QLatin1String("cron")]
                       .toString()
                   == u"0 4 * * *";
        }));
        QVERIFY(editor->reportView()->reportText().contains(QLatin1String("UPDATE")));

        // A bad cron: the feed's CREATE refusal lands at the feed form, and nothing is left.
        auto *bad = qobject_cast<TriggerEditor *>(m_area->openNew(ExplorerEntry::Kind::Trigger));
        QTest::keyClicks(bad->nameEdit(), QStringLiteral("never"));
        bad->feedCombo()->setCurrentText(QStringLiteral("/whisk.system/alarms/alarm"));
        QVERIFY(
            waitUntil([&] { return bad->feedForm()->field(QStringLiteral("cron")) != nullptr; }));
        QTest::keyClicks(bad->feedForm()->field(QStringLiteral("cron")),
                         QStringLiteral("not a cron"));
        clickSave(bad);
        QVERIFY(waitUntil([&] { return !bad->isBusy(); }));
        QVERIFY(bad->isNew());
        QVERIFY(bad->feedForm()->messageBar()->isVisible());
        QCOMPARE(status(QStringLiteral("triggers/never")), 404); // rolled back
        QCOMPARE(bad->feedForm()->field(QStringLiteral("cron"))->text(),
                 QStringLiteral("not a cron"));
        m_area->removeTab(m_area->indexOf(bad));
        bad->deleteLater();

        // Deleting the feed trigger runs the feed's DELETE first: the provider forgets it.
        QVERIFY(waitUntil([&] {
            return m_explorer->selectEntity(
                EntityRef{ExplorerEntry::Kind::Trigger, QStringLiteral("nightly")});
        }));
        answerNextMessageBox(QMessageBox::Yes);
        m_explorer->deleteAction()->trigger();
        QVERIFY(waitUntil([&] { return status(QStringLiteral("triggers/nightly")) == 404; }));
        QVERIFY(alarmEntry(m_engine, QStringLiteral("nightly")).isEmpty());
        QVERIFY(m_explorer->reportView()->reportText().contains(QLatin1String("DELETE")));
        bool sawFeedDelete = false;
        for (const HttpJournal::Entry &e : m_journal.entries())
            sawFeedDelete
                = sawFeedDelete
                  || (e.requestBody.contains("\"DELETE\"") && e.requestBody.contains("nightly"));
        QVERIFY(sawFeedDelete);
    }

    void cancellingALongSaveRollsItBack()
    {
        // A feed whose CREATE takes 2 s after the provider stored the entry: long enough to
        // press Cancel while it runs.
        FeedMisbehaviour slowCreate;
        slowCreate.slow = {QStringLiteral("CREATE")};
        slowCreate.delayMs = 2000;
        const QJsonObject body = misbehavingAlarmFeed(slowCreate);
        QVERIFY(ok(m_engine.put(QStringLiteral("/api/v1/namespaces/guest/actions/slow-feed"), body),
                   "slow feed"));

        auto *editor = qobject_cast<TriggerEditor *>(m_area->openNew(ExplorerEntry::Kind::Trigger));
        QTest::keyClicks(editor->nameEdit(), QStringLiteral("cancelled"));
        editor->feedCombo()->setCurrentText(QStringLiteral("slow-feed"));
        QVERIFY(waitUntil([&] { return !editor->feedForm()->otherField()->isHidden(); }));
        editor->feedForm()->otherField()->setText(QStringLiteral("{\"cron\": \"0 0 1 1 *\"}"));
        clickSave(editor);
        QPushButton *cancel = editor->operationView()->cancelButton();
        // (The provider is asked only once the trigger exists: the look-up would create it.)
        QVERIFY(waitUntil([&] {
            return cancel->isVisible() && status(QStringLiteral("triggers/cancelled")) == 200;
        }));
        QVERIFY(waitUntil(
            [&] { return !alarmEntry(m_engine, QStringLiteral("cancelled")).isEmpty(); }));
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(waitUntil([&] { return !editor->isBusy(); }));
        QVERIFY(editor->isNew());
        QVERIFY(editor->reportView()->reportText().contains(QLatin1String("cancelled")));
        QVERIFY(editor->reportView()->reportText().contains(QLatin1String("Undone")));
        QCOMPARE(status(QStringLiteral("triggers/cancelled")), 404);
        QVERIFY(alarmEntry(m_engine, QStringLiteral("cancelled")).isEmpty());
        m_area->removeTab(m_area->indexOf(editor));
        editor->deleteLater();
    }

    void packageAndBinding()
    {
        auto *package
            = qobject_cast<PackageEditor *>(m_area->openNew(ExplorerEntry::Kind::Package));
        QTest::keyClicks(package->nameEdit(), QStringLiteral("shop"));
        package->parametersField()->setText(QStringLiteral("{\"region\": \"eu\", \"retries\": 3}"));
        clickSave(package);
        QVERIFY(saved(package));
        QCOMPARE(
            paramsOf(doc(QStringLiteral("packages/shop"))).value(QLatin1String("retries")).toInt(),
            3);

        auto *binding
            = qobject_cast<PackageEditor *>(m_area->openNew(ExplorerEntry::Kind::Binding));
        QVERIFY(binding->bindingRadio()->isChecked());
        QTest::keyClicks(binding->nameEdit(), QStringLiteral("shop-test"));
        binding->targetCombo()->setCurrentText(QStringLiteral("/guest/shop"));
        binding->parametersField()->setText(QStringLiteral("{\"region\": \"us\"}"));
        // The merged view: the binding's region wins over the package's, retries comes from it.
        QVERIFY(waitUntil([&] {
            const QTableWidget *merged = binding->mergedView();
            QString region, retries;
            for (int row = 0; row < merged->rowCount(); ++row) {
                if (merged->item(row, 0)->text() == u"region")
                    region = merged->item(row, 1)->text() + u'|' + merged->item(row, 2)->text();
                if (merged->item(row, 0)->text() == u"retries")
                    retries = merged->item(row, 2)->text();
            }
            return region == u"us|binding" && retries.contains(QLatin1String("/guest/shop"));
        }));
        clickSave(binding);
        QVERIFY(saved(binding));
        const QJsonObject bound = doc(QStringLiteral("packages/shop-test"));
        QCOMPARE(bound[QLatin1String("binding")][QLatin1String("name")].toString(),
                 QStringLiteral("shop"));

        // A binding to a package that does not exist: the API says so at the target field.
        auto *bad = qobject_cast<PackageEditor *>(m_area->openNew(ExplorerEntry::Kind::Binding));
        QTest::keyClicks(bad->nameEdit(), QStringLiteral("dangling"));
        bad->targetCombo()->setCurrentText(QStringLiteral("/guest/no-such-package"));
        clickSave(bad);
        QVERIFY(waitUntil([&] { return !bad->isBusy(); }));
        QVERIFY(bad->isNew());
        QVERIFY(bad->findChild<MessageBar *>(QStringLiteral("targetMessage"))->isVisible());
        m_area->removeTab(m_area->indexOf(bad));
        bad->deleteLater();

        answerNextMessageBox(QMessageBox::Yes);
        binding->deleteAction()->trigger();
        QVERIFY(waitUntil([&] { return status(QStringLiteral("packages/shop-test")) == 404; }));
        answerNextMessageBox(QMessageBox::Yes);
        package->deleteAction()->trigger();
        QVERIFY(waitUntil([&] { return status(QStringLiteral("packages/shop")) == 404; }));
    }

    void openingAnOpenEntityShowsItsTab()
    {
        QVERIFY(
            ok(m_engine.put(QStringLiteral("/api/v1/namespaces/guest/actions/twice"), nodeAction()),
               "twice"));
        EntityEditor *first
            = m_area->open(EntityRef{ExplorerEntry::Kind::Action, QStringLiteral("twice")});
        EntityEditor *second
            = m_area->open(EntityRef{ExplorerEntry::Kind::Action, QStringLiteral("twice")});
        QCOMPARE(first, second);
        QCOMPARE(m_area->currentWidget(), first);
        // Unsaved changes mark the tab and are asked about before it closes.
        QVERIFY(waitUntil([&] { return !first->isBusy(); }));
        QTest::keyClicks(qobject_cast<ActionEditor *>(first)->parametersField()->editor(),
                         QStringLiteral("{\"x\": 1}"));
        QVERIFY(m_area->tabText(m_area->indexOf(first)).endsWith(QLatin1String("*")));
        QPointer<EntityEditor> guard(first);
        answerNextMessageBox(QMessageBox::Cancel);
        QVERIFY(!m_area->closeTab(m_area->indexOf(first)));
        QVERIFY(waitUntil([] { return !QApplication::activeModalWidget(); }));
        QVERIFY(m_area->indexOf(first) >= 0); // kept
        answerNextMessageBox(QMessageBox::Discard);
        QVERIFY(!m_area->closeTab(m_area->indexOf(first)));
        QVERIFY(waitUntil([&] { return guard.isNull(); }));
    }
};

QTEST_MAIN(TestEditors)
#include "tst_editors.moc"
