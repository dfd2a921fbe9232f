/** Progress reporting shared by the command line and the bot. */

/** Progress as plain lines ("Building index: 40% (1200/3000 sentences)"), one per tenth. */
export function progressLines(write: (line: string) => void, label: string): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    const tenth = total ? Math.floor((done / total) * 10) : 10;
    if (tenth === last || (tenth === 0 && done > 0)) return;
    last = tenth;
    write(`${label}: ${tenth * 10}% (${done}/${total} sentences)`);
  };
}
