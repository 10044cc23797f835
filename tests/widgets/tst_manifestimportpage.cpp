// SPDX-License-Identifier: GPL-3.0-or-later
// File → Import manifest (widgets/manifests/): the preview lists what will be created, changed
// and left alone before anything is sent; Import applies it and the page then shows the
// namespace holding everything; a manifest that does not parse says why and sends nothing.
#include "common/messagebar.h"
#include "common/operationview.h"
#include "manifests/manifestimportpage.h"
#include "widgettesting.h"

#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTreeWidget>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Feedscope::Ui;

namespace {

const char manifest[] = R"(project:
  name: imported
  packages:
    default:
      actions:
        greet:
          runtime: nodejs:20
          code: |
            function main(p) { return {hello: p.name || 'world'}; }
        existing:
          runtime: nodejs:20
          code: |
            function main(p) { return p; }
      triggers:
        doorbell: {}
      rules:
        doorbell-rule:
          trigger: doorbell
          action: greet
)";

QString writeFile(const QTemporaryDir &dir, const QByteArray &text)
{
    const QString path = dir.filePath(QStringLiteral("manifest.yaml"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(text);
    return path;
}

} // namespace

class TestManifestImportPage : public QObject
{
    Q_OBJECT

    EngineProcess m_engine;
    HttpJournal m_journal;
    std::unique_ptr<Session> m_session;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        // "existing" is there already, with the same code: left alone.
        QCOMPARE(m_engine.put(actionPath(QStringLiteral("existing")), nodeAction()).status, 200);
        m_session = openSession(m_engine, &m_journal, std::make_shared<LifecycleJournal>());
    }

    void cleanupTestCase()
    {
        m_session.reset();
        m_engine.stop();
    }

    void previewThenImport()
    {
        QTemporaryDir dir;
        ManifestImportPage page(m_session.get(), writeFile(dir, manifest));
        page.show();
        bool loaded = false;
        connect(&page, &ManifestImportPage::loaded, this, [&loaded] { loaded = true; });
        page.load();
        QVERIFY(waitUntil([&] { return loaded; }));
        QCOMPARE(page.itemList()->topLevelItemCount(), 4);
        QVERIFY2(page.summaryLabel()->text().startsWith(
                     QStringLiteral("3 to create, 0 to change, 1 left alone")),
                 qPrintable(page.summaryLabel()->text()));
        // Nothing was sent by the preview.
        QCOMPARE(m_engine.get(actionPath(QStringLiteral("greet"))).status, 404);
        QVERIFY2(unnamedControls(&page).isEmpty(), qPrintable(unnamedControls(&page).join(u' ')));

        bool imported = false;
        bool ok = false;
        connect(&page, &ManifestImportPage::imported, this, [&](bool result) {
            imported = true;
            ok = result;
        });
        QVERIFY(page.importButton()->isEnabled());
        loaded = false;
        QTest::mouseClick(page.importButton(), Qt::LeftButton);
        QVERIFY(waitUntil([&] { return imported && loaded; }));
        QVERIFY(ok);
        QCOMPARE(m_engine.get(actionPath(QStringLiteral("greet"))).status, 200);
        QCOMPARE(m_engine.get(api(QStringLiteral("rules/doorbell-rule"))).status, 200);
        // Compared again: everything is now left alone, and Import has nothing to do.
        QVERIFY2(page.summaryLabel()->text().startsWith(
                     QStringLiteral("0 to create, 0 to change, 4 left alone")),
                 qPrintable(page.summaryLabel()->text()));
        QVERIFY(!page.importButton()->isEnabled());
    }

    void aBrokenManifestSendsNothing()
    {
        QTemporaryDir dir;
        ManifestImportPage page(m_session.get(), writeFile(dir, "project: [unclosed"));
        page.show();
        const qsizetype before = m_journal.entries().size();
        page.load();
        QVERIFY(!page.messageBar()->text().isEmpty());
        QVERIFY(!page.importButton()->isEnabled());
        QCOMPARE(m_journal.entries().size(), before);
    }
};

QTEST_MAIN(TestManifestImportPage)
#include "tst_manifestimportpage.moc"
